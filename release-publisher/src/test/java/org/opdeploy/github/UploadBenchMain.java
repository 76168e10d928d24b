package org.opdeploy.github;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.opdeploy.http.FileRequestBody;
import org.opdeploy.http.HttpTransport;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.store.PublishRequest;
import org.opdeploy.version.Version;

/**
 * Benchmark driver (test sources): with GITHUB_API_URL and GITHUB_TOKEN pointing at a fake,
 * {@code publish DIR VERSION} publishes a folder through {@link GitHubReleaseStore}, and
 * {@code raw FILE} streams one file of any size through the same upload body to the draft
 * {@code bench} (the store itself refuses assets of 2 GiB or more). Prints elapsed seconds.
 */
public final class UploadBenchMain {
  private UploadBenchMain() {}

  public static void main(String[] args) throws Exception {
    GitHubSettings settings = GitHubSettings.fromEnvironment(System.getenv());
    long start = System.nanoTime();
    long bytes;
    if (args[0].equals("publish")) {
      Path dir = Path.of(args[1]);
      try (var files = Files.list(dir)) {
        bytes = files.mapToLong(f -> f.toFile().length()).sum();
      }
      GitHubReleaseStore.open("acme/op-dbus", settings).publish(new PublishRequest(Version.parse(args[2]), dir,
          args[2], "benchmark", false, false), ProgressListener.NONE);
    } else {
      Path file = Path.of(args[1]);
      bytes = Files.size(file);
      GitHubApi api = new GitHubApi("acme/op-dbus", settings, HttpTransport.newClient());
      GitHubRelease release = api.findRelease("bench").orElseThrow();
      api.uploadOnce(release, file.getFileName() + "-" + System.nanoTime(),
          new FileRequestBody(file, bytes, "upload", ProgressListener.NONE));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "seconds=%.3f bytes=%d MiB/s=%.1f%n", seconds, bytes,
        bytes / seconds / (1 << 20));
  }
}
