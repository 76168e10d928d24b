package org.opdeploy.github;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.opdeploy.error.BadInputException;
import org.opdeploy.github.fake.FakeGitHub;
import org.opdeploy.github.fake.RecordingSleeper;
import org.opdeploy.manifest.Checksums;
import org.opdeploy.progress.ProgressEvent;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.secret.Secret;
import org.opdeploy.store.PublishRequest;
import org.opdeploy.version.Version;

/** Shared set-up for the GitHub store tests: a store on the fake, a release folder, a listener. */
final class GitHubTestKit {
  static final String REPO = "acme/op-dbus";

  private GitHubTestKit() {}

  static GitHubReleaseStore store(FakeGitHub fake, String token, RecordingSleeper sleeper)
      throws BadInputException {
    Map<String, String> env =
        token == null
            ? Map.of("GITHUB_API_URL", fake.apiUrl())
            : Map.of("GITHUB_API_URL", fake.apiUrl(), "GITHUB_TOKEN", token);
    return GitHubReleaseStore.open(
        REPO, GitHubSettings.fromEnvironment(env).withRetry(sleeper.policy()));
  }

  static GitHubSettings settings(FakeGitHub fake, RecordingSleeper sleeper) {
    return new GitHubSettings(fake.apiUrl(), Secret.of(fake.token()), 2, sleeper.policy());
  }

  /** A sealed-looking folder: two stream parts, sums, a signature, plus files never published. */
  static Path releaseFolder(Path dir, long seed) throws IOException {
    Files.createDirectories(dir);
    Random random = new Random(seed);
    byte[] part0 = new byte[300_000];
    byte[] part1 = new byte[123_457];
    random.nextBytes(part0);
    random.nextBytes(part1);
    Files.write(dir.resolve("op-dbus-v1.0.0.send.zst.part000"), part0);
    Files.write(dir.resolve("op-dbus-v1.0.0.send.zst.part001"), part1);
    Files.writeString(
        dir.resolve("SHA256SUMS"),
        Checksums.render(
            Map.of(
                "op-dbus-v1.0.0.send.zst.part000",
                sha256(part0),
                "op-dbus-v1.0.0.send.zst.part001",
                sha256(part1))),
        StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("SHA256SUMS.asc"), "-----BEGIN PGP SIGNATURE-----\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve(".hidden"), "not published");
    Files.writeString(dir.resolve("leftover.partial"), "not published");
    return dir;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> publishedNames() {
    return List.of(
        "SHA256SUMS",
        "SHA256SUMS.asc",
        "op-dbus-v1.0.0.send.zst.part000",
        "op-dbus-v1.0.0.send.zst.part001");
  }

  static PublishRequest request(Path dir, boolean draft) throws BadInputException {
    return new PublishRequest(
        Version.parse("v1.0.0"), dir, "op-dbus v1.0.0", "First release", draft, false);
  }

  /** Keeps everything a run reported, for assertions and the token scan. */
  static final class Listener implements ProgressListener {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final List<ProgressEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void progress(ProgressEvent event) {
      events.add(event);
    }

    @Override
    public void stepStarted(String name) {
      lines.add("start " + name);
    }

    @Override
    public void stepFinished(String name) {
      lines.add("done " + name);
    }

    @Override
    public void info(String line) {
      lines.add("info " + line);
    }

    @Override
    public void warn(String line) {
      lines.add("warn " + line);
    }
  }
}
