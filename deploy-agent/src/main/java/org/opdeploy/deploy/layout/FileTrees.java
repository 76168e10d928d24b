package org.opdeploy.deploy.layout;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.opdeploy.error.OpdeployException;

/**
 * Removes folder trees on the target (cache folders, what a crafted stream left), never following
 * links.
 */
public final class FileTrees {
  private FileTrees() {}

  /** Deletes {@code root} and everything below it; nothing when it does not exist. */
  public static void deleteTree(Path root) throws OpdeployException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure)
                throws IOException {
              if (failure != null) {
                throw failure;
              }
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new OpdeployException("cannot remove " + root + ": " + e.getMessage(), e);
    }
  }

  /** As {@link #deleteTree}, for cleanups after a failure whose own error is the one to report. */
  public static void deleteQuietly(Path root) {
    try {
      deleteTree(root);
    } catch (OpdeployException e) {
      // Best effort: the next run clears it again.
    }
  }
}
