package org.opdeploy.seal;

import java.nio.file.Path;
import java.util.List;

/**
 * A sealed release folder: the SHA256SUMS written, the signature ({@code null} when no signing key
 * is configured), the signer's certificate fingerprint ({@code null} likewise) and the files
 * SHA256SUMS lists.
 */
public record SealResult(
    Path checksums, Path signature, String signerFingerprint, List<String> files) {
  public SealResult {
    files = List.copyOf(files);
  }
}
