package org.opdeploy.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.opdeploy.error.OpdeployException;

/**
 * Removes plain folder trees (staging, cache and overlay folders, what a crafted stream left; never
 * subvolumes, which btrfs deletes) without following links, and makes renames inside a folder
 * durable. The one place both sides do either.
 */
public final class FileTrees {
  private FileTrees() {}

  /**
   * Deletes {@code root} and everything below it, stopping at the first failure; true when there
   * was something to delete. A link is removed, never followed.
   */
  public static boolean deleteTree(Path root) throws OpdeployException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try {
      Files.walkFileTree(root, new Deleting(false));
      return true;
    } catch (IOException e) {
      throw new OpdeployException("cannot remove " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * As {@link #deleteTree}, but deletes whatever it can and reports nothing: for cleanups after a
   * failure whose own error is the one to report (the next run clears what is left).
   */
  public static void deleteQuietly(Path root) {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(root, new Deleting(true));
    } catch (IOException e) {
      // Best effort, as promised.
    }
  }

  /** Syncs a folder so that a rename or a new entry inside it is durable. */
  public static void syncDirectory(Path directory) throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  private static final class Deleting extends SimpleFileVisitor<Path> {
    private final boolean quietly;

    Deleting(boolean quietly) {
      this.quietly = quietly;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
      delete(file);
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
      if (!quietly) {
        throw failure;
      }
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
      if (failure != null && !quietly) {
        throw failure;
      }
      delete(dir);
      return FileVisitResult.CONTINUE;
    }

    private void delete(Path path) throws IOException {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        if (!quietly) {
          throw e;
        }
      }
    }
  }
}
