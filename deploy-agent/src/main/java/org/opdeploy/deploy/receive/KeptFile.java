package org.opdeploy.deploy.receive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.opdeploy.deploy.layout.TargetLayout;
import org.opdeploy.error.OpdeployException;

/**
 * A proven stream file also written into the cache ({@code --keep-cache}): chunks are appended to
 * {@code NAME.partial} only after they were proven, and the file gets its name once it is whole and
 * on disk. An aborted one is removed: the cache never holds a part of a refused stream.
 */
final class KeptFile {
  private final Path partial;
  private final Path target;
  private final FileChannel channel;

  private KeptFile(Path partial, Path target, FileChannel channel) {
    this.partial = partial;
    this.target = target;
    this.channel = channel;
  }

  static KeptFile start(Path directory, String name) throws OpdeployException {
    Path partial = TargetLayout.partial(directory, name);
    try {
      Files.createDirectories(directory);
      return new KeptFile(
          partial,
          directory.resolve(name),
          FileChannel.open(
              partial,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING));
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot keep " + name + " in " + directory + ": " + e.getMessage(), e);
    }
  }

  void write(byte[] bytes, int length) throws OpdeployException {
    try {
      ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot keep "
              + target.getFileName()
              + " in the cache: "
              + e.getMessage()
              + "; free space there or deploy without --keep-cache",
          e);
    }
  }

  void finish() throws OpdeployException {
    try (FileChannel out = channel) {
      out.force(true);
      Files.move(
          partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot keep " + target.getFileName() + " in the cache: " + e.getMessage(), e);
    }
  }

  void abort() {
    try {
      channel.close();
      Files.deleteIfExists(partial);
    } catch (IOException e) {
      // A leftover .partial is swept like any interrupted download.
    }
  }
}
