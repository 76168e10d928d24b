package org.opdeploy.github;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.opdeploy.error.OpdeployException;

/**
 * One file of the release folder. Its SHA-256 is learnt while uploading it, or computed on demand
 * when an existing asset must be compared first, so a fresh upload reads the file only once.
 */
final class LocalAsset {
  private final Path path;
  private final long size;
  private volatile String sha256;

  LocalAsset(Path path, long size) {
    this.path = path;
    this.size = size;
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

  void learnSha256(String hex) {
    sha256 = hex;
  }

  /** True when {@code remote} is complete and provably this file: same size and digest. */
  boolean isSameAs(GitHubAsset remote) throws OpdeployException {
    return remote.isUploaded() && remote.size() == size && remote.sha256() != null
        && remote.sha256().equalsIgnoreCase(sha256());
  }

  String sha256() throws OpdeployException {
    String known = sha256;
    if (known != null) {
      return known;
    }
    try (InputStream in = Files.newInputStream(path)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 20];
      int n;
      while ((n = in.read(buffer)) != -1) {
        digest.update(buffer, 0, n);
      }
      known = HexFormat.of().formatHex(digest.digest());
      sha256 = known;
      return known;
    } catch (IOException e) {
      throw new OpdeployException("cannot read " + path + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks SHA-256", e);
    }
  }
}
