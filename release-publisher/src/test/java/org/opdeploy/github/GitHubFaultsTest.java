package org.opdeploy.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opdeploy.github.GitHubTestKit.REPO;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.github.fake.FakeAsset.AssetView;
import org.opdeploy.github.fake.FakeGitHub;
import org.opdeploy.github.fake.Fault;
import org.opdeploy.github.fake.RecordedRequest;
import org.opdeploy.github.fake.RecordingSleeper;
import org.opdeploy.github.fake.Route;
import org.opdeploy.store.PublishResult;

class GitHubFaultsTest {
  private static final String PART0 = "op-dbus-v1.0.0.send.zst.part000";
  @TempDir Path temp;
  FakeGitHub fake;
  RecordingSleeper sleeper = new RecordingSleeper();
  GitHubTestKit.Listener listener = new GitHubTestKit.Listener();
  Path dir;

  @BeforeEach
  void start() throws Exception {
    fake = FakeGitHub.start();
    dir = GitHubTestKit.releaseFolder(temp.resolve("rel"), 42);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private PublishResult publish(String token, int concurrency) throws Exception {
    var settings = GitHubTestKit.settings(fake, sleeper).withUploadConcurrency(concurrency);
    if (token != fake.token()) {
      settings = settings.withToken(token == null ? null : org.opdeploy.secret.Secret.of(token));
    }
    return GitHubReleaseStore.open(REPO, settings)
        .publish(GitHubTestKit.request(dir, false), listener);
  }

  private void assertPublishedIntact() throws Exception {
    var release = fake.release(REPO, "v1.0.0").orElseThrow();
    assertThat(release.draft()).isFalse();
    assertThat(release.assets())
        .extracting(AssetView::name)
        .containsExactlyInAnyOrderElementsOf(GitHubTestKit.publishedNames());
    for (AssetView asset : release.assets()) {
      assertThat(asset.state()).isEqualTo("uploaded");
      assertThat(fake.assetBytes(REPO, "v1.0.0", asset.name()))
          .isEqualTo(Files.readAllBytes(dir.resolve(asset.name())));
    }
  }

  private List<RecordedRequest> uploadsOf(String name) {
    return fake.requests().stream()
        .filter(
            r ->
                r.server().equals("uploads")
                    && r.pathAndQuery().endsWith("name=" + name.replace("+", "%2B")))
        .toList();
  }

  @Test
  void badGatewayThatLeftAStarterAssetIsDeletedAndUploadedAgain() throws Exception {
    fake.inject(Route.UPLOAD_ASSET, Fault.badGatewayLeavingStarter());
    publish(fake.token(), 1);
    assertPublishedIntact();
    assertThat(fake.requests()).anyMatch(r -> r.method().equals("DELETE"));
  }

  @Test
  void badGatewayAfterTheAssetWasStoredKeepsItInsteadOfUploadingTwice() throws Exception {
    fake.inject(Route.UPLOAD_ASSET, Fault.badGatewayAfterStoring());
    publish(fake.token(), 1);
    assertPublishedIntact();
    assertThat(fake.requests()).noneMatch(r -> r.method().equals("DELETE"));
    assertThat(fake.requests().stream().filter(r -> r.server().equals("uploads"))).hasSize(4);
    assertThat(listener.lines)
        .anyMatch(l -> l.contains("reached GitHub before the connection failed"));
  }

  @Test
  void connectionResetMidUploadIsRetriedAndTheBrokenAssetReplaced() throws Exception {
    fake.inject(Route.UPLOAD_ASSET, Fault.resetMidBody());
    publish(fake.token(), 1);
    assertPublishedIntact();
    assertThat(fake.requests().stream().filter(r -> r.server().equals("uploads"))).hasSize(5);
  }

  @Test
  void serverErrorsThenSuccessBackOffExponentially() throws Exception {
    fake.inject(Route.LIST_RELEASES, Fault.status(500), Fault.status(502), Fault.status(504));
    publish(fake.token(), 2);
    assertPublishedIntact();
    List<Duration> waits = sleeper.waits();
    assertThat(waits).hasSize(3);
    assertThat(waits.get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    assertThat(waits.get(1)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(waits.get(2)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
  }

  @Test
  void tooManyRequestsWaitsAsLongAsRetryAfterSays() throws Exception {
    fake.inject(Route.UPLOAD_ASSET, Fault.tooManyRequests(7));
    publish(fake.token(), 1);
    assertPublishedIntact();
    assertThat(sleeper.waits())
        .singleElement()
        .satisfies(w -> assertThat(w).isBetween(Duration.ofSeconds(7), Duration.ofMillis(7250)));
  }

  @Test
  void secondaryRateLimitForbiddenIsWaitedOutNotReportedAsMissingPermission() throws Exception {
    fake.inject(Route.CREATE_RELEASE, Fault.secondaryRateLimit(30));
    publish(fake.token(), 2);
    assertPublishedIntact();
    assertThat(sleeper.waits())
        .singleElement()
        .satisfies(w -> assertThat(w).isGreaterThanOrEqualTo(Duration.ofSeconds(30)));
  }

  @Test
  void exhaustedPrimaryRateLimitWaitsUntilTheReset() throws Exception {
    long reset = sleeper.clock().instant().getEpochSecond() + 120;
    fake.inject(Route.LIST_ASSETS, Fault.primaryRateLimit(reset));
    publish(fake.token(), 2);
    assertPublishedIntact();
    assertThat(sleeper.waits())
        .singleElement()
        .satisfies(w -> assertThat(w).isBetween(Duration.ofSeconds(119), Duration.ofSeconds(122)));
  }

  @Test
  void retryGivesUpWhenTheServersWaitWouldPassTheTimeBudget() throws Exception {
    long reset = Instant.now().getEpochSecond() + 7200;
    fake.inject(Route.LIST_RELEASES, Fault.primaryRateLimit(reset));
    assertThatThrownBy(() -> publish(fake.token(), 2))
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining("list releases of github:acme/op-dbus failed after 1 attempts")
        .hasMessageContaining("retry budget");
    assertThat(sleeper.waits()).isEmpty();
  }

  @Test
  void alreadyExistsOnUploadIsReconciledNotAFailure() throws Exception {
    fake.createRelease(REPO, "v1.0.0", true);
    fake.putAsset(REPO, "v1.0.0", PART0, Files.readAllBytes(dir.resolve(PART0)), "uploaded", null);
    // The first listing lags behind: the store believes nothing is there and gets 422 on upload.
    fake.inject(Route.LIST_ASSETS, Fault.staleEmptyList());
    PublishResult result = publish(fake.token(), 1);
    assertPublishedIntact();
    assertThat(result.uploaded()).contains(PART0);
    assertThat(fake.requests()).noneMatch(r -> r.method().equals("DELETE"));
  }

  @Test
  void missingTokenIsRefusedBeforeAnyRequest() {
    assertThatThrownBy(() -> publish(null, 2))
        .isInstanceOf(OpdeployException.class)
        .hasMessage(
            "GITHUB_TOKEN is not set: publishing to github:acme/op-dbus needs a token with"
                + " 'contents: write' permission")
        .satisfies(e -> assertThat(((OpdeployException) e).exitCode()).isEqualTo(ExitCode.FAILED));
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void rejectedTokenSaysToSetGithubToken() {
    assertThatThrownBy(() -> publish("ghp_wrong", 2))
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining("401 Bad credentials")
        .hasMessageContaining("set GITHUB_TOKEN");
  }

  @Test
  void forbiddenTokenSaysItNeedsContentsWrite() {
    assertThatThrownBy(() -> publish(fake.readOnlyToken(), 2))
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining("(403 Resource not accessible by personal access token)")
        .hasMessageContaining("'contents: write'");
    assertThat(fake.releases(REPO)).isEmpty();
  }

  @Test
  void assetOverTwoGibibytesIsRefusedBeforeAnyUpload() throws Exception {
    Path sparse = dir.resolve("op-dbus-v1.0.0.send.zst");
    try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw")) {
      file.setLength(2L << 30); // sparse: no disk used
    }
    assertThatThrownBy(() -> publish(fake.token(), 2))
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining("op-dbus-v1.0.0.send.zst is 2147483648 bytes")
        .hasMessageContaining("lower max-asset-bytes");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void moreThanAThousandAssetsAreRefusedBeforeAnyUpload() throws Exception {
    for (int i = 0; i < 1000; i++) {
      Files.createFile(dir.resolve(String.format("x.part%04d", i)));
    }
    assertThatThrownBy(() -> publish(fake.token(), 2))
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining("holds 1004 files but a GitHub release takes at most 1000");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void malformedRepositoryIsBadInput() {
    assertThatThrownBy(() -> GitHubReleaseStore.open("acme", GitHubTestKit.settings(fake, sleeper)))
        .isInstanceOf(org.opdeploy.error.BadInputException.class)
        .hasMessageContaining("github:OWNER/REPO");
    assertThatThrownBy(
            () -> GitHubReleaseStore.open("acme/..", GitHubTestKit.settings(fake, sleeper)))
        .isInstanceOf(org.opdeploy.error.BadInputException.class);
  }

  @Test
  void settingsComeFromTheEnvironmentAndNeverPrintTheToken() throws Exception {
    GitHubSettings settings =
        GitHubSettings.fromEnvironment(Map.of("GITHUB_TOKEN", "ghp_secretvalue"));
    assertThat(settings.apiUrl()).isEqualTo("https://api.github.com");
    assertThat(settings.uploadConcurrency()).isEqualTo(2);
    assertThat(settings.toString()).doesNotContain("ghp_secretvalue");
    assertThat(
            GitHubSettings.fromEnvironment(Map.of("GITHUB_API_URL", "https://ghe.example/api/v3/"))
                .apiUrl())
        .isEqualTo("https://ghe.example/api/v3");
  }
}
