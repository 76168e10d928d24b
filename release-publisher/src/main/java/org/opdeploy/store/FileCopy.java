package org.opdeploy.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.function.LongConsumer;
import org.opdeploy.hash.Sha256;

/**
 * Copies file bytes: in the kernel ({@link FileChannel#transferTo}: sendfile on this JDK) where
 * nothing needs to see them, and through one buffer where they are hashed as they are copied, so
 * that neither the source nor the copy has to be read a second time.
 */
final class FileCopy {
  private static final long CHUNK = 64L << 20;
  private static final int BUFFER = 1 << 20;

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

  /**
   * Copies {@code source} to {@code target} (replaced when present), flushes it to disk and returns
   * the lowercase hex SHA-256 of the bytes written, taken in the same pass: each byte is read once,
   * and the copy is not read back to hash it.
   */
  static String copyHashing(Path source, Path target, LongConsumer onBytes) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
        FileChannel out =
            FileChannel.open(
                target,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
      long done = 0;
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        buffer.flip();
        digest.update(buffer.array(), 0, buffer.limit());
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        buffer.clear();
        done += n;
        onBytes.accept(done);
      }
      out.force(true);
    }
    return Sha256.hex(digest);
  }
}
