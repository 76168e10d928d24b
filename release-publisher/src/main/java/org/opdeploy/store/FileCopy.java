package org.opdeploy.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongConsumer;

/**
 * Copies file bytes in the kernel ({@link FileChannel#transferTo}: copy_file_range or sendfile,
 * reflinks on btrfs) instead of through Java buffers.
 */
final class FileCopy {
  private static final long CHUNK = 64L << 20;

  private FileCopy() {}

  /**
   * Appends {@code source} from byte {@code from} onwards to {@code target} (created when absent)
   * and flushes it to disk; {@code onBytes} hears the bytes copied so far in total.
   */
  static void copyFrom(Path source, long from, Path target, LongConsumer onBytes)
      throws IOException {
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
        FileChannel out =
            FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      long size = in.size();
      out.truncate(from);
      out.position(from);
      long position = from;
      while (position < size) {
        long n = in.transferTo(position, Math.min(CHUNK, size - position), out);
        if (n <= 0) {
          throw new IOException(source + " shrank while being copied");
        }
        position += n;
        onBytes.accept(position);
      }
      out.force(true);
    }
  }
}
