package org.opdeploy.deploy.release;

import java.util.Map;
import org.opdeploy.manifest.Manifest;

/**
 * The signed part of a release, proven: SHA256SUMS carries a good signature by a trusted key, the
 * manifest matches its line in SHA256SUMS and passes the target's rules.
 *
 * @param manifestFile the manifest's asset name
 * @param checksums SHA256SUMS as name to hex SHA-256
 * @param signer fingerprint of the key that signed SHA256SUMS
 */
public record ReleaseIndex(
    Manifest manifest, String manifestFile, Map<String, String> checksums, String signer) {
  public ReleaseIndex {
    checksums = Map.copyOf(checksums);
  }
}
