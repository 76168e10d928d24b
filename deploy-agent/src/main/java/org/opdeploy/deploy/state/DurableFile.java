package org.opdeploy.deploy.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.opdeploy.io.FileTrees;

/**
 * Replaces a small file so that a crash or power cut leaves either the old or the new bytes:
 * written to {@code NAME.tmp}, synced, renamed over the old one, and the folder synced so that the
 * rename survives too. A stale {@code NAME.tmp} of a killed run is overwritten by the next write
 * and swept by the next mutating command.
 */
final class DurableFile {
  private DurableFile() {}

  static Path temporary(Path file) {
    return file.resolveSibling(file.getFileName() + ".tmp");
  }

  static void write(Path file, byte[] bytes) throws IOException {
    Path temp = temporary(file);
    Files.createDirectories(file.getParent());
    try (FileChannel out =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(true);
    }
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the filesystem of " + file + " cannot rename atomically", e);
    }
    FileTrees.syncDirectory(file.getParent());
  }
}
