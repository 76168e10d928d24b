package org.opdeploy.stream;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.opdeploy.manifest.Manifest;

/**
 * A finished send: the manifest written, the output folder, the manifest file and every file the
 * send wrote there (stream files or parts, their {@code .sha256} files, the manifest and {@code
 * SHA256SUMS}) in the order they were completed, and the SHA-256 of every file SHA256SUMS lists,
 * taken as the bytes were written ({@code sha256s}; empty when not written by this run), so that
 * sealing and publishing need not read them again.
 */
public record SendResult(
    Manifest manifest,
    Path directory,
    Path manifestFile,
    List<Path> files,
    Map<String, String> sha256s) {
  public SendResult {
    files = List.copyOf(files);
    sha256s = Map.copyOf(sha256s);
  }

  /** A send whose digests are not known (a folder found complete, not written by this run). */
  public SendResult(Manifest manifest, Path directory, Path manifestFile, List<Path> files) {
    this(manifest, directory, manifestFile, files, Map.of());
  }
}
