package org.opdeploy.stream;

import java.nio.file.Path;
import java.util.List;

/**
 * A file written completely under a temporary name, with its size, SHA-256 (hex) and the SHA-256 of
 * each {@code chunkSize} bytes from its start (its chunk index).
 */
record StagedFile(Path temporary, long size, String sha256, long chunkSize, List<String> chunks) {
  StagedFile {
    chunks = List.copyOf(chunks);
  }
}
