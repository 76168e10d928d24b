package org.opdeploy.stream;

import java.nio.file.Path;
import java.util.List;
import org.opdeploy.manifest.Manifest;

/**
 * A finished send: the manifest written, the output folder, the manifest file and every file the
 * send wrote there (stream files or parts, their {@code .sha256} files, the manifest and
 * {@code SHA256SUMS}) in the order they were completed.
 */
public record SendResult(Manifest manifest, Path directory, Path manifestFile, List<Path> files) {
  public SendResult {
    files = List.copyOf(files);
  }
}
