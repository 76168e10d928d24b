package org.opdeploy.seal;

import java.util.Map;
import org.opdeploy.manifest.Manifest;

/**
 * The signed part of a release, proven by {@link SignedIndexVerifier}: SHA256SUMS (with a good
 * signature by a trusted key, unless unsigned was allowed), the manifest matching its line in
 * SHA256SUMS, named for what it describes, and every stream file it lists agreeing with SHA256SUMS.
 *
 * @param manifestFile the manifest's asset name
 * @param checksums SHA256SUMS as name to hex SHA-256
 * @param signer fingerprint of the key that signed SHA256SUMS, or null when unsigned was allowed
 */
public record SignedIndex(
    Manifest manifest, String manifestFile, Map<String, String> checksums, String signer) {
  public SignedIndex {
    checksums = Map.copyOf(checksums);
  }

  public boolean signed() {
    return signer != null;
  }
}
