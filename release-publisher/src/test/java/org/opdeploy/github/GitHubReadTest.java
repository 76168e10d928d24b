package org.opdeploy.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opdeploy.github.GitHubTestKit.REPO;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.github.fake.FakeGitHub;
import org.opdeploy.github.fake.Fault;
import org.opdeploy.github.fake.RecordedRequest;
import org.opdeploy.github.fake.RecordingSleeper;
import org.opdeploy.github.fake.Route;
import org.opdeploy.store.RemoteAsset;
import org.opdeploy.version.Version;

class GitHubReadTest {
  private static final String PART0 = "op-dbus-v1.0.0.send.zst.part000";
  @TempDir Path temp;
  FakeGitHub fake;
  RecordingSleeper sleeper = new RecordingSleeper();
  GitHubTestKit.Listener listener = new GitHubTestKit.Listener();
  Path dir;
  Version v1;

  @BeforeEach
  void publishOne() throws Exception {
    fake = FakeGitHub.start();
    dir = GitHubTestKit.releaseFolder(temp.resolve("rel"), 7);
    GitHubTestKit.store(fake, fake.token(), sleeper)
        .publish(GitHubTestKit.request(dir, false), listener);
    v1 = Version.parse("v1.0.0");
    fake.clearRequests();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void assetsOfAPublishedReleaseCarryTheServersDigest() throws Exception {
    List<RemoteAsset> assets = GitHubTestKit.store(fake, null, sleeper).assets(v1);
    assertThat(assets)
        .extracting(RemoteAsset::name)
        .containsExactlyElementsOf(GitHubTestKit.publishedNames());
    RemoteAsset part0 =
        assets.stream().filter(a -> a.name().equals(PART0)).findFirst().orElseThrow();
    assertThat(part0.size()).isEqualTo(300_000);
    assertThat(part0.sha256())
        .isEqualTo(
            java.util.HexFormat.of()
                .formatHex(
                    java.security.MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(dir.resolve(PART0)))));
  }

  @Test
  void publicDownloadUsesTheBrowserUrlWithoutCredentials() throws Exception {
    var store = GitHubTestKit.store(fake, null, sleeper);
    RemoteAsset asset = store.assets(v1).get(2);
    Path partial = temp.resolve("a.partial");
    store.download(v1, asset, partial, listener);
    assertThat(Files.readAllBytes(partial))
        .isEqualTo(Files.readAllBytes(dir.resolve(asset.name())));
    assertThat(fake.requests()).noneMatch(RecordedRequest::authorized);
    assertThat(fake.requests()).anyMatch(r -> r.path().contains("/releases/download/v1.0.0/"));
  }

  @Test
  void tokenDownloadFollowsTheRedirectWithoutSendingTheTokenToTheStorageHost() throws Exception {
    var store = GitHubTestKit.store(fake, fake.token(), sleeper);
    RemoteAsset asset = store.assets(v1).get(2);
    Path partial = temp.resolve("a.partial");
    store.download(v1, asset, partial, listener);
    assertThat(Files.readAllBytes(partial))
        .isEqualTo(Files.readAllBytes(dir.resolve(asset.name())));
    RecordedRequest api =
        fake.requests().stream()
            .filter(r -> r.path().contains("/releases/assets/"))
            .findFirst()
            .orElseThrow();
    assertThat(api.authorized()).isTrue();
    assertThat(api.accept()).isEqualTo("application/octet-stream");
    RecordedRequest storage =
        fake.requests().stream()
            .filter(r -> r.path().startsWith("/storage/"))
            .findFirst()
            .orElseThrow();
    assertThat(storage.authorized()).isFalse();
  }

  @Test
  void resumedDownloadSendsRangeAndAppendsTheRest() throws Exception {
    var store = GitHubTestKit.store(fake, null, sleeper);
    byte[] whole = Files.readAllBytes(dir.resolve(PART0));
    Path partial = temp.resolve("p.partial");
    Files.write(partial, Arrays.copyOf(whole, 100_000));
    store.download(v1, new RemoteAsset(PART0, whole.length, null), partial, listener);
    assertThat(Files.readAllBytes(partial)).isEqualTo(whole);
    assertThat(fake.requests()).anySatisfy(r -> assertThat(r.range()).isEqualTo("bytes=100000-"));
  }

  @Test
  void serverIgnoringRangeRestartsTheFileInsteadOfAppending() throws Exception {
    var store = GitHubTestKit.store(fake, fake.token(), sleeper);
    byte[] whole = Files.readAllBytes(dir.resolve(PART0));
    Path partial = temp.resolve("p.partial");
    Files.write(partial, Arrays.copyOf(whole, 5000));
    fake.inject(Route.DOWNLOAD, Fault.ignoreRange());
    store.download(v1, new RemoteAsset(PART0, whole.length, null), partial, listener);
    assertThat(Files.readAllBytes(partial)).isEqualTo(whole);
  }

  @Test
  void connectionResetMidDownloadResumesFromWhereItStopped() throws Exception {
    var store = GitHubTestKit.store(fake, fake.token(), sleeper);
    byte[] whole = Files.readAllBytes(dir.resolve(PART0));
    Path partial = temp.resolve("p.partial");
    fake.inject(Route.DOWNLOAD, Fault.resetMidBody(), Fault.status(503));
    store.download(v1, new RemoteAsset(PART0, whole.length, null), partial, listener);
    assertThat(Files.readAllBytes(partial)).isEqualTo(whole);
    List<String> ranges =
        fake.requests().stream()
            .filter(r -> r.path().startsWith("/storage/"))
            .map(RecordedRequest::range)
            .toList();
    assertThat(ranges.get(0)).isNull();
    assertThat(ranges.get(ranges.size() - 1)).startsWith("bytes=").isNotEqualTo("bytes=0-");
    assertThat(sleeper.waits()).hasSize(2);
  }

  @Test
  void completePartialFileAnswered416IsDone() throws Exception {
    var store = GitHubTestKit.store(fake, null, sleeper);
    byte[] whole = Files.readAllBytes(dir.resolve(PART0));
    Path partial = temp.resolve("p.partial");
    Files.write(partial, whole);
    store.download(v1, new RemoteAsset(PART0, whole.length, null), partial, listener);
    assertThat(Files.readAllBytes(partial)).isEqualTo(whole);
  }

  @Test
  void draftIsInvisibleWithoutATokenAndVisibleWithOne() throws Exception {
    fake.createRelease(REPO, "v1.1.0", true);
    fake.putAsset(REPO, "v1.1.0", "SHA256SUMS", new byte[] {1}, "uploaded", null);
    Version v11 = Version.parse("v1.1.0");
    assertThatThrownBy(() -> GitHubTestKit.store(fake, null, sleeper).assets(v11))
        .isInstanceOf(OpdeployException.class)
        .hasMessage(
            "release v1.1.0 not found on github:acme/op-dbus (drafts are visible only with"
                + " GITHUB_TOKEN); check the version and the repository");
    assertThat(GitHubTestKit.store(fake, fake.token(), sleeper).assets(v11))
        .extracting(RemoteAsset::name)
        .containsExactly("SHA256SUMS");
  }

  @Test
  void versionsListsReleaseTagsInOrderAndSkipsForeignTags() throws Exception {
    fake.createRelease(REPO, "nightly-20250101", false);
    fake.createRelease(REPO, "v0.9.0", false);
    fake.createRelease(REPO, "not-a-version", false);
    fake.createRelease(REPO, "v2.0.0-rc.1", true);
    assertThat(GitHubTestKit.store(fake, null, sleeper).versions())
        .extracting(Version::text)
        .containsExactly("v0.9.0", "v1.0.0", "nightly-20250101");
    assertThat(GitHubTestKit.store(fake, fake.token(), sleeper).versions())
        .extracting(Version::text)
        .containsExactly("v0.9.0", "v1.0.0", "v2.0.0-rc.1", "nightly-20250101");
  }
}
