package org.opdeploy.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.opdeploy.error.OpdeployException;

/**
 * Keeps a folder that holds whole system trees (a build pool with the golden and its snapshots, a
 * target root with its deployments) to its owner: mode 0700, so no other local user can read the
 * trees, their secrets or their state. Only the folder itself is restricted: the trees inside keep
 * their own modes (a snapshot's root must stay 0755 to be a usable root filesystem), and release
 * folders written elsewhere stay readable.
 */
public final class PrivateFolder {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");

  private PrivateFolder() {}

  /** Sets {@code folder} to 0700 when it is more open; returns whether it changed anything. */
  public static boolean restrict(Path folder) throws OpdeployException {
    try {
      if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
          || Files.getPosixFilePermissions(folder).equals(OWNER_ONLY)) {
        return false;
      }
      Files.setPosixFilePermissions(folder, OWNER_ONLY);
      return true;
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot restrict " + folder + " to its owner (chmod 0700): " + e.getMessage(), e);
    }
  }
}
