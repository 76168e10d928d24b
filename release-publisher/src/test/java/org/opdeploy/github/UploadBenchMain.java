package org.opdeploy.github;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.opdeploy.http.FileRequestBody;
import org.opdeploy.http.HttpTransport;
import org.opdeploy.progress.ProgressListener;

/**
 * Benchmark driver (test sources): with GITHUB_API_URL and GITHUB_TOKEN pointing at a fake, {@code
 * raw FILE} streams one file of any size through the publisher's upload body to the draft {@code
 * bench} (the store itself refuses assets of 2 GiB or more), so that the benchmark can watch its
 * memory. Prints elapsed seconds.
 */
public final class UploadBenchMain {
  private UploadBenchMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !args[0].equals("raw")) {
      throw new IllegalArgumentException("usage: UploadBenchMain raw FILE");
    }
    GitHubSettings settings = GitHubSettings.fromEnvironment(System.getenv());
    long start = System.nanoTime();
    Path file = Path.of(args[1]);
    long bytes = Files.size(file);
    GitHubApi api = new GitHubApi("acme/op-dbus", settings, HttpTransport.newClient());
    GitHubRelease release = api.findRelease("bench").orElseThrow();
    api.uploadOnce(
        release,
        file.getFileName() + "-" + System.nanoTime(),
        new FileRequestBody(file, bytes, "upload", ProgressListener.NONE));
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "seconds=%.3f bytes=%d MiB/s=%.1f%n",
        seconds,
        bytes,
        bytes / seconds / (1 << 20));
  }
}
