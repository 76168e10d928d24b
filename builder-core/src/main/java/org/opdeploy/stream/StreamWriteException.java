package org.opdeploy.stream;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writing a stream file failed (typically: the output folder filled up). Distinguished from read
 * failures so the user is told to look at the output folder, not at btrfs.
 */
final class StreamWriteException extends IOException {
  private final Path file;

  StreamWriteException(Path file, IOException cause) {
    super("cannot write " + file + ": " + cause.getMessage(), cause);
    this.file = file;
  }

  Path file() {
    return file;
  }

  /** The operating system's reason, e.g. "No space left on device". */
  String reason() {
    return getCause().getMessage();
  }
}
