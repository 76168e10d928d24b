package org.opdeploy.github;

import java.io.IOException;
import java.nio.file.Path;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.hash.Sha256;

/**
 * One file of the release folder and the SHA-256 GitHub's {@code digest} must show for it. For a
 * sealed folder that is the file's line in SHA256SUMS, which the publish step has just verified:
 * comparing GitHub's digest with it proves end to end that what GitHub stores is what was sealed,
 * without hashing the file again. Files SHA256SUMS does not name (itself, its signature, any file
 * of an unsealed folder) are hashed on demand, once.
 */
final class LocalAsset {
  private final Path path;
  private final long size;
  private final String expectedFrom;
  private volatile String sha256;

  /** {@code sealedSha256} is the file's SHA256SUMS entry, or null to hash the file when asked. */
  LocalAsset(Path path, long size, String sealedSha256) {
    this.path = path;
    this.size = size;
    this.sha256 = sealedSha256;
    this.expectedFrom = sealedSha256 == null ? "local file" : "SHA256SUMS";
  }

  Path path() {
    return path;
  }

  String name() {
    return path.getFileName().toString();
  }

  long size() {
    return size;
  }

  /** Where {@link #sha256()} comes from, for messages: {@code SHA256SUMS} or {@code local file}. */
  String expectedFrom() {
    return expectedFrom;
  }

  /** True when {@code remote} is complete and provably this file: same size and digest. */
  boolean isSameAs(GitHubAsset remote) throws OpdeployException {
    return remote.isUploaded()
        && remote.size() == size
        && remote.sha256() != null
        && Sha256.same(remote.sha256(), sha256());
  }

  String sha256() throws OpdeployException {
    String known = sha256;
    if (known != null) {
      return known;
    }
    try {
      known = Sha256.ofFile(path);
      sha256 = known;
      return known;
    } catch (IOException e) {
      throw new OpdeployException("cannot read " + e.getMessage(), e);
    }
  }
}
