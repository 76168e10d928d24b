package org.opdeploy.release;

import java.nio.file.Path;
import java.util.Map;
import org.opdeploy.error.BadInputException;
import org.opdeploy.github.GitHubReleaseStore;
import org.opdeploy.github.GitHubSettings;
import org.opdeploy.store.DirectoryStore;
import org.opdeploy.store.HttpsReleaseSource;
import org.opdeploy.store.ReleaseSource;
import org.opdeploy.store.ReleaseStore;

/**
 * Opens the release location a user names: {@code github:OWNER/REPO}, {@code dir:PATH} or an {@code
 * https://} base URL. Build and target sides both come through here, so a target reads a store with
 * the same code that published to it.
 */
public final class ReleaseLocations {
  private ReleaseLocations() {}

  /** A location to read releases from. */
  public static ReleaseSource openSource(String location, Map<String, String> env)
      throws BadInputException {
    return openSource(location, env, null);
  }

  /**
   * A location to read releases from; an {@code https://} (or loopback {@code http://}) one trusts
   * the PEM CA certificates in {@code caFile} besides the system's, when it is not null.
   */
  public static ReleaseSource openSource(String location, Map<String, String> env, Path caFile)
      throws BadInputException {
    if (location != null && (location.startsWith("https://") || location.startsWith("http://"))) {
      return new HttpsReleaseSource(location, org.opdeploy.http.RetryPolicy.defaults(), caFile);
    }
    return openStore(location, env);
  }

  /** A location that can also be published to: {@code github:} or {@code dir:}. */
  public static ReleaseStore openStore(String location, Map<String, String> env)
      throws BadInputException {
    if (location == null || location.isBlank()) {
      throw new BadInputException(
          "no release location given: use github:OWNER/REPO, dir:PATH or https://BASE");
    }
    if (location.startsWith("github:")) {
      return GitHubReleaseStore.open(
          location.substring("github:".length()), GitHubSettings.fromEnvironment(env));
    }
    if (location.startsWith("dir:")) {
      String path = location.substring("dir:".length());
      if (path.isBlank()) {
        throw new BadInputException("dir: needs a folder, e.g. dir:/srv/releases");
      }
      return new DirectoryStore(Path.of(path).toAbsolutePath().normalize());
    }
    if (location.startsWith("https://")) {
      throw new BadInputException(
          location + " is read-only: publish to github:OWNER/REPO or dir:PATH");
    }
    throw new BadInputException(
        "unknown release location '"
            + location
            + "': use github:OWNER/REPO, dir:PATH or https://BASE");
  }
}
