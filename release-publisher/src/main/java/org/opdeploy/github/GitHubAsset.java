package org.opdeploy.github;

import org.opdeploy.hash.Sha256;

/**
 * A release asset as the API reports it: {@code state} is {@code uploaded} once complete ({@code
 * starter}/{@code open} while or after a broken upload); {@code sha256} is the hex from the
 * server's {@code digest} ({@code sha256:<hex>}), or null when the server gave none.
 */
record GitHubAsset(
    long id,
    String name,
    String state,
    long size,
    String sha256,
    String apiUrl,
    String browserDownloadUrl) {

  boolean isUploaded() {
    return "uploaded".equals(state);
  }

  /** Complete and byte-for-byte the local file, as far as the server's digest can prove. */
  boolean matches(long localSize, String localSha256) {
    return isUploaded() && size == localSize && sha256 != null && Sha256.same(sha256, localSha256);
  }
}
