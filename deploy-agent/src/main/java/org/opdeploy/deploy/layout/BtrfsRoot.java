package org.opdeploy.deploy.layout;

import java.nio.file.Files;
import java.nio.file.Path;
import org.opdeploy.btrfs.Btrfs;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;

/** The check that a target root is, or will be created, on a mounted btrfs filesystem. */
public final class BtrfsRoot {
  private BtrfsRoot() {}

  /**
   * Refuses (exit 2, naming {@code --root}) a root off btrfs, which can never receive. The root
   * itself may not exist yet: then the nearest folder that does, where it would be created,
   * decides, and the message still names the root the user chose.
   */
  public static void require(Btrfs btrfs, Path root) throws OpdeployException {
    Path existing = root;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || existing.equals(root)) {
      btrfs.requireBtrfs(root, "root");
      return;
    }
    try {
      btrfs.requireBtrfs(existing, "root");
    } catch (OpdeployException e) {
      throw new BadInputException(
          e.getMessage()
              .replace(
                  "root " + existing + " ",
                  "root " + root + " (to be created in " + existing + ") "));
    }
  }
}
