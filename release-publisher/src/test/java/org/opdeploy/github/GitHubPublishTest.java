package org.opdeploy.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opdeploy.github.GitHubTestKit.REPO;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.error.VerificationException;
import org.opdeploy.github.fake.FakeAsset.AssetView;
import org.opdeploy.github.fake.FakeGitHub;
import org.opdeploy.github.fake.FakeRelease.ReleaseView;
import org.opdeploy.github.fake.RecordedRequest;
import org.opdeploy.github.fake.RecordingSleeper;
import org.opdeploy.store.PublishResult;

class GitHubPublishTest {
  @TempDir Path temp;
  FakeGitHub fake;
  RecordingSleeper sleeper = new RecordingSleeper();
  GitHubTestKit.Listener listener = new GitHubTestKit.Listener();

  @BeforeEach
  void start() {
    fake = FakeGitHub.start();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private PublishResult publish(Path dir) throws Exception {
    return GitHubTestKit.store(fake, fake.token(), sleeper)
        .publish(GitHubTestKit.request(dir, false), listener);
  }

  private void assertPublishedExactly(Path dir) throws Exception {
    List<ReleaseView> releases = fake.releases(REPO);
    assertThat(releases).hasSize(1);
    ReleaseView release = releases.get(0);
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

  @Test
  void publishCreatesADraftUploadsEveryFileVerifiesThenPublishes() throws Exception {
    Path dir = GitHubTestKit.releaseFolder(temp.resolve("rel"), 1);
    PublishResult result = publish(dir);

    assertPublishedExactly(dir);
    assertThat(result.draft()).isFalse();
    assertThat(result.uploaded())
        .containsExactlyInAnyOrderElementsOf(GitHubTestKit.publishedNames());
    assertThat(result.skipped()).isEmpty();
    assertThat(result.assets()).allSatisfy(a -> assertThat(a.sha256()).hasSize(64));
    ReleaseView release = fake.releases(REPO).get(0);
    assertThat(release.name()).isEqualTo("op-dbus v1.0.0");
    assertThat(release.body()).isEqualTo("First release");

    List<RecordedRequest> log = fake.requests();
    List<RecordedRequest> uploads =
        log.stream()
            .filter(r -> r.method().equals("POST") && r.path().endsWith("/assets"))
            .toList();
    assertThat(uploads).hasSize(4).allSatisfy(r -> assertThat(r.server()).isEqualTo("uploads"));
    int lastUpload = log.lastIndexOf(uploads.get(uploads.size() - 1));
    int patch =
        log.indexOf(log.stream().filter(r -> r.method().equals("PATCH")).findFirst().orElseThrow());
    assertThat(patch).as("published only after every upload").isGreaterThan(lastUpload);
    assertThat(log).allSatisfy(r -> assertThat(r.authorized()).isTrue());
    assertThat(listener.events).anySatisfy(e -> assertThat(e.finished()).isTrue());
  }

  @Test
  void draftRequestLeavesTheReleaseADraft() throws Exception {
    Path dir = GitHubTestKit.releaseFolder(temp.resolve("rel"), 2);
    PublishResult result =
        GitHubTestKit.store(fake, fake.token(), sleeper)
            .publish(GitHubTestKit.request(dir, true), listener);
    assertThat(result.draft()).isTrue();
    assertThat(fake.releases(REPO).get(0).draft()).isTrue();
    assertThat(fake.requests()).noneMatch(r -> r.method().equals("PATCH"));
  }

  @Test
  void existingDraftHiddenFromTheByTagLookupIsReusedNotDuplicated() throws Exception {
    fake.createRelease(REPO, "v1.0.0", true);
    Path dir = GitHubTestKit.releaseFolder(temp.resolve("rel"), 3);
    publish(dir);
    assertPublishedExactly(dir);
    assertThat(fake.requests())
        .noneMatch(r -> r.method().equals("POST") && r.path().endsWith("/releases"));
  }

  @Test
  void findsTheReleaseOnALaterPageOfTheListing() throws Exception {
    fake.close();
    fake = FakeGitHub.start(FakeGitHub.Options.defaults().withMaxPerPage(2));
    fake.createRelease(REPO, "v1.0.0", true);
    for (int i = 1; i <= 5; i++) {
      fake.createRelease(REPO, "v0.9." + i, false);
    }
    Path dir = GitHubTestKit.releaseFolder(temp.resolve("rel"), 4);
    publish(dir);

    assertThat(fake.releases(REPO)).hasSize(6);
    assertThat(fake.release(REPO, "v1.0.0").orElseThrow().draft()).isFalse();
    assertThat(fake.requests()).anyMatch(r -> r.pathAndQuery().contains("page=3"));
    // Assets are paged too: 4 assets at 2 per page.
    assertThat(fake.requests())
        .anyMatch(
            r ->
                r.path().matches(".*/releases/\\d+/assets") && r.pathAndQuery().contains("page=2"));
  }

  @Test
  void racingPublisherLosesTheCreateAndUsesTheWinnersRelease() throws Exception {
    fake.inject(
        org.opdeploy.github.fake.Route.CREATE_RELEASE,
        org.opdeploy.github.fake.Fault.competingRelease());
    Path dir = GitHubTestKit.releaseFolder(temp.resolve("rel"), 5);
    publish(dir);
    assertPublishedExactly(dir);
  }

  @Test
  void twoConcurrentPublishersOfOneTagEndWithOneRelease() throws Exception {
    Path dir = GitHubTestKit.releaseFolder(temp.resolve("rel"), 6);
    var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> publishQuietly(dir));
    var second = java.util.concurrent.CompletableFuture.supplyAsync(() -> publishQuietly(dir));
    first.join();
    second.join();
    // Whatever interleaving happened, a re-run settles it, and there is still one release.
    publish(dir);
    assertPublishedExactly(dir);
  }

  private Object publishQuietly(Path dir) {
    try {
      return publish(dir);
    } catch (Exception e) {
      return e;
    }
  }

  @Test
  void reconcileSkipsMatchingAssetsAndReplacesMismatchedAndStarterOnes() throws Exception {
    Path dir = GitHubTestKit.releaseFolder(temp.resolve("rel"), 7);
    fake.createRelease(REPO, "v1.0.0", true);
    fake.putAsset(
        REPO,
        "v1.0.0",
        "SHA256SUMS",
        Files.readAllBytes(dir.resolve("SHA256SUMS")),
        "uploaded",
        null);
    fake.putAsset(
        REPO,
        "v1.0.0",
        "SHA256SUMS.asc",
        Files.readAllBytes(dir.resolve("SHA256SUMS.asc")),
        "uploaded",
        "sha256:" + "0".repeat(64));
    fake.putAsset(REPO, "v1.0.0", "op-dbus-v1.0.0.send.zst.part000", new byte[10], "starter", null);
    fake.putAsset(REPO, "v1.0.0", "stray.bin", new byte[3], "uploaded", null);

    PublishResult result = publish(dir);

    assertThat(result.skipped()).containsExactly("SHA256SUMS");
    assertThat(result.uploaded())
        .containsExactly(
            "SHA256SUMS.asc", "op-dbus-v1.0.0.send.zst.part000", "op-dbus-v1.0.0.send.zst.part001");
    assertPublishedExactly(dir);
  }

  @Test
  void aFileThatNoLongerMatchesSha256sumsIsUploadedButNeverPublished() throws Exception {
    Path dir = GitHubTestKit.releaseFolder(temp.resolve("rel"), 10);
    Path part = dir.resolve("op-dbus-v1.0.0.send.zst.part001");
    byte[] bytes = Files.readAllBytes(part);
    bytes[5] ^= 1; // the same size, other bytes: only the digest tells
    Files.write(part, bytes);

    assertThatThrownBy(() -> publish(dir))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining(
            "op-dbus-v1.0.0.send.zst.part001 on github:acme/op-dbus differs from the"
                + " SHA256SUMS")
        .hasMessageContaining("sha256sum -c SHA256SUMS");
    assertThat(fake.releases(REPO)).singleElement().satisfies(r -> assertThat(r.draft()).isTrue());
  }

  @Test
  void malformedSha256sumsIsRefusedBeforeAnyRequest() throws Exception {
    Path dir = GitHubTestKit.releaseFolder(temp.resolve("rel"), 11);
    Files.writeString(dir.resolve("SHA256SUMS"), "not a checksum line\n");

    assertThatThrownBy(() -> publish(dir))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("SHA256SUMS");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void publishStepThatFailsIsCompletedByARerunOnTheSameRelease() throws Exception {
    Path dir = GitHubTestKit.releaseFolder(temp.resolve("rel"), 8);
    for (int i = 0; i < 6; i++) {
      fake.inject(
          org.opdeploy.github.fake.Route.UPDATE_RELEASE,
          org.opdeploy.github.fake.Fault.status(500));
    }
    assertThatThrownBy(() -> publish(dir))
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining(
            "publish release v1.0.0 on github:acme/op-dbus failed after 6 attempts");
    assertThat(fake.releases(REPO)).singleElement().satisfies(r -> assertThat(r.draft()).isTrue());

    fake.clearRequests();
    PublishResult rerun = publish(dir);
    assertThat(rerun.skipped()).containsExactlyInAnyOrderElementsOf(GitHubTestKit.publishedNames());
    assertThat(rerun.uploaded()).isEmpty();
    assertPublishedExactly(dir);
    assertThat(fake.requests()).noneMatch(r -> r.server().equals("uploads"));
  }

  @Test
  void aRerunAfterAFailedUploadCompletesTheSameRelease() throws Exception {
    Path dir = GitHubTestKit.releaseFolder(temp.resolve("rel"), 9);
    for (int i = 0; i < 4 * 6; i++) { // every try of all four uploads
      fake.inject(
          org.opdeploy.github.fake.Route.UPLOAD_ASSET, org.opdeploy.github.fake.Fault.status(503));
    }
    assertThatThrownBy(() -> publish(dir))
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining("failed after 6 attempts");
    assertThat(fake.releases(REPO)).singleElement().satisfies(r -> assertThat(r.draft()).isTrue());
    // A try can also fail on a pooled connection the fake closed, before the fault is consumed.
    fake.clearFaults();
    publish(dir);
    assertPublishedExactly(dir);
  }

  @Test
  void publishedImmutableReleaseLackingAssetsIsRefusedWithAClearMessage() throws Exception {
    fake.close();
    fake = FakeGitHub.start(FakeGitHub.Options.defaults().withImmutableReleases(true));
    fake.createRelease(REPO, "v1.0.0", false);
    Path dir = GitHubTestKit.releaseFolder(temp.resolve("rel"), 10);
    assertThatThrownBy(() -> publish(dir))
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining("is published and immutable but lacks")
        .hasMessageContaining("publish a new version");
    assertThat(fake.requests()).noneMatch(r -> r.server().equals("uploads"));
  }

  @Test
  void publishedImmutableReleaseThatIsCompleteIsLeftAsIs() throws Exception {
    fake.close();
    fake = FakeGitHub.start(FakeGitHub.Options.defaults().withImmutableReleases(true));
    Path dir = GitHubTestKit.releaseFolder(temp.resolve("rel"), 11);
    publish(dir);
    PublishResult again = publish(dir);
    assertThat(again.uploaded()).isEmpty();
    assertThat(fake.release(REPO, "v1.0.0").orElseThrow().immutable()).isTrue();
  }
}
