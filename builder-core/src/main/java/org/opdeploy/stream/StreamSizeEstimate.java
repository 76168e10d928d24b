package org.opdeploy.stream;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import org.opdeploy.manifest.Manifest;

/**
 * How many bytes a {@code btrfs send} will probably write, so that progress can show a total, a
 * percentage and an ETA: the parent's last stream of the same kind (releases grow slowly), else,
 * for a full stream, the snapshot's file data. A guess only: -1 when there is nothing to go by.
 */
final class StreamSizeEstimate {
  private StreamSizeEstimate() {}

  /**
   * The full stream's likely size: the parent's last full stream, else the snapshot's file data.
   */
  static long full(Optional<Manifest> parentManifest, Path snapshot) {
    return parentManifest
        .flatMap(Manifest::fullStream)
        .map(Manifest.Stream::streamSize)
        .orElseGet(() -> fileData(snapshot));
  }

  /** The incremental stream's likely size: the parent's own last incremental, else unknown. */
  static long incremental(Optional<Manifest> parentManifest) {
    return parentManifest
        .flatMap(m -> m.streams().stream().filter(s -> !s.isFull()).findFirst())
        .map(Manifest.Stream::streamSize)
        .orElse(-1L);
  }

  /** The sizes of the regular files under {@code root}, links not followed; -1 when unreadable. */
  static long fileData(Path root) {
    long[] total = {0};
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
              if (attributes.isRegularFile()) {
                total[0] += attributes.size();
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      return -1;
    }
    return total[0] > 0 ? total[0] : -1;
  }
}
