package org.opdeploy.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;

/**
 * Keeps the build pool to its owner: the golden and the snapshots hold the whole system before
 * release (configuration, keys a step installed), so other local users must not read them. The
 * subvolumes' own root folders cannot be restricted (their mode becomes the deployed tree's
 * {@code /}), so the pool folder that holds them and {@code .opdeploy} are made 0700. Release
 * folders written with {@code send --out} outside the pool keep their ordinary, readable modes.
 */
public final class PrivatePool {
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  private PrivatePool() {}

  /** Restricts the pool folder and its state folder to their owner; reports a change it made. */
  public static void restrict(PoolLayout pool, ProgressListener listener) throws OpdeployException {
    for (Path dir : new Path[] {pool.pool(), pool.stateDirectory()}) {
      try {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        if (!now.equals(OWNER_ONLY)) {
          Files.setPosixFilePermissions(dir, OWNER_ONLY);
          listener.info("restricted " + dir + " to its owner (0700, was 0" + octal(now)
              + "): the golden and snapshots are not for other local users");
        }
      } catch (IOException | UnsupportedOperationException e) {
        throw new OpdeployException("cannot restrict " + dir + " to its owner (chmod 0700): " + e.getMessage(), e);
      }
    }
  }

  private static String octal(Set<PosixFilePermission> permissions) {
    int mode = 0;
    for (PosixFilePermission p : permissions) {
      mode |= 1 << (8 - p.ordinal());
    }
    return Integer.toOctalString(mode);
  }
}
