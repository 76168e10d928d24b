package org.opdeploy.seal;

import java.util.Map;
import org.opdeploy.manifest.Manifest;

/**
 * A release folder that passed {@link ReleaseVerifier}: its manifest, the primary key fingerprint
 * that signed SHA256SUMS ({@code null} when unsigned and that was allowed, or no keys were given),
 * and SHA256SUMS itself (file name → lowercase hex SHA-256).
 */
public record VerifiedRelease(
    Manifest manifest, String signerFingerprint, Map<String, String> checksums) {
  public VerifiedRelease {
    checksums = Map.copyOf(checksums);
  }

  public boolean signed() {
    return signerFingerprint != null;
  }
}
