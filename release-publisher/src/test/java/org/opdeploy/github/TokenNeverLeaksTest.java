package org.opdeploy.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opdeploy.github.GitHubTestKit.REPO;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.github.fake.FakeGitHub;
import org.opdeploy.github.fake.Fault;
import org.opdeploy.github.fake.RecordingSleeper;
import org.opdeploy.github.fake.Route;
import org.opdeploy.secret.Secret;
import org.opdeploy.store.RemoteAsset;
import org.opdeploy.version.Version;

/**
 * Runs publishing and fetching through successes and every kind of failure, then scans all that was
 * printed, reported, thrown (whole stack traces), returned and written for the token.
 */
class TokenNeverLeaksTest {
  private static final String CANARY = "ghp_CANARY0123456789abcdefCANARY";
  @TempDir Path temp;

  @Test
  void tokenAppearsInNoOutputMessageResultFileOrUrl() throws Exception {
    StringBuilder seen = new StringBuilder();
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    GitHubTestKit.Listener listener = new GitHubTestKit.Listener();
    RecordingSleeper sleeper = new RecordingSleeper();
    try (FakeGitHub fake = FakeGitHub.start(FakeGitHub.Options.defaults().withToken(CANARY))) {
      Path dir = GitHubTestKit.releaseFolder(temp.resolve("rel"), 1);
      GitHubSettings settings =
          new GitHubSettings(fake.apiUrl(), Secret.of(CANARY), 2, sleeper.policy());
      GitHubReleaseStore store = GitHubReleaseStore.open(REPO, settings);
      seen.append(settings).append(store).append(store.describe());

      fake.inject(
          Route.UPLOAD_ASSET,
          Fault.badGatewayLeavingStarter(),
          Fault.resetMidBody(),
          Fault.secondaryRateLimit(1),
          Fault.badGatewayAfterStoring());
      fake.inject(Route.LIST_RELEASES, Fault.status(500));
      seen.append(store.publish(GitHubTestKit.request(dir, false), listener));

      List<Throwable> failures = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        fake.inject(Route.LIST_RELEASES, Fault.status(502));
      }
      failures.add(attempt(() -> store.publish(GitHubTestKit.request(dir, false), listener)));
      failures.add(
          attempt(
              () ->
                  GitHubReleaseStore.open(REPO, settings.withToken(Secret.of(CANARY + "x")))
                      .publish(GitHubTestKit.request(dir, false), listener)));
      failures.add(
          attempt(
              () ->
                  GitHubReleaseStore.open(REPO, settings.withToken(Secret.of(fake.readOnlyToken())))
                      .publish(
                          new org.opdeploy.store.PublishRequest(
                              Version.parse("v2.0.0"), dir, "t", "n", false, false),
                          listener)));
      failures.add(attempt(() -> store.assets(Version.parse("v7.7.7"))));

      Version v1 = Version.parse("v1.0.0");
      RemoteAsset asset = store.assets(v1).get(2);
      seen.append(store.assets(v1)).append(store.versions());
      fake.inject(Route.DOWNLOAD, Fault.resetMidBody());
      store.download(v1, asset, temp.resolve("dl.partial"), listener);

      for (Throwable failure : failures) {
        assertThat(failure).isNotNull();
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        seen.append(trace);
      }
      fake.requests().forEach(r -> seen.append(r.pathAndQuery()).append('\n'));
      assertThat(fake.requests()).noneMatch(r -> r.pathAndQuery().contains(CANARY));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    seen.append(captured.toString(StandardCharsets.UTF_8));
    listener.lines.forEach(l -> seen.append(l).append('\n'));
    listener.events.forEach(e -> seen.append(e).append('\n'));
    try (Stream<Path> files = Files.walk(temp)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        seen.append(file).append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
      }
    }
    assertThat(listener.lines).isNotEmpty();
    assertThat(seen.toString()).doesNotContain(CANARY).doesNotContain("CANARY0123456789");
  }

  private interface Action {
    Object run() throws Exception;
  }

  private static Throwable attempt(Action action) {
    try {
      action.run();
      return null;
    } catch (Exception e) {
      return e;
    }
  }
}
