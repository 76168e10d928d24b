package org.opdeploy.seal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.io.FileTrees;

/**
 * Replaces a small file so that readers see the old content or the new, never a part: write a
 * hidden temporary sibling, flush it to disk, check it, rename it over the target.
 */
final class AtomicFiles {
  /** Inspects the written temporary file before it takes the target's place. */
  @FunctionalInterface
  interface Check {
    void accept(Path written) throws OpdeployException, IOException;
  }

  private AtomicFiles() {}

  static void write(Path target, byte[] content, Check check) throws OpdeployException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = null;
    try {
      temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      // createTempFile makes 0600; release files are public.
      Files.setPosixFilePermissions(
          temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      check.accept(temp);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temp = null;
      FileTrees.syncDirectory(dir);
    } catch (IOException e) {
      throw new OpdeployException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // The original failure is the one worth reporting.
        }
      }
    }
  }
}
