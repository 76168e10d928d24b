package org.opdeploy.deploy.prune;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.opdeploy.error.OpdeployException;

/**
 * Deletes plain folder trees (cache and overlay folders; never subvolumes, which btrfs deletes).
 */
final class FolderTrees {
  private FolderTrees() {}

  /** Deletes {@code root} and everything under it; true when there was something to delete. */
  static boolean delete(Path root) throws OpdeployException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
      return true;
    } catch (IOException e) {
      throw new OpdeployException("cannot remove " + root + ": " + e.getMessage(), e);
    }
  }
}
