package org.opdeploy.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opdeploy.github.GitHubTestKit.REPO;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.github.fake.FakeAsset.AssetView;
import org.opdeploy.github.fake.FakeGitHub;
import org.opdeploy.github.fake.FakeRelease.ReleaseView;
import org.opdeploy.github.fake.Fault;
import org.opdeploy.github.fake.RecordedRequest;
import org.opdeploy.github.fake.RecordingSleeper;
import org.opdeploy.github.fake.Route;
import org.opdeploy.store.PublishResult;

/**
 * Issue 10.8: a tag never ends with two releases. GitHub lets two drafts carry one tag (a draft
 * makes no tag), so a create it performed but answered with a 5xx, or two publishers that both
 * found nothing, leave duplicates unless the publisher finds before it creates, finds again before
 * a retried create, and resolves duplicates (the published one, else the oldest draft, is kept).
 */
class PublishOneReleasePerTagTest {
  private static final String TAG = "v1.0.0";
  @TempDir Path temp;
  FakeGitHub fake;
  RecordingSleeper sleeper = new RecordingSleeper();
  GitHubTestKit.Listener listener = new GitHubTestKit.Listener();
  Path dir;

  @BeforeEach
  void start() throws Exception {
    fake = FakeGitHub.start();
    dir = GitHubTestKit.releaseFolder(temp.resolve("rel"), 77);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private PublishResult publish() throws Exception {
    return GitHubTestKit.store(fake, fake.token(), sleeper)
        .publish(GitHubTestKit.request(dir, false), listener);
  }

  private ReleaseView theOnlyRelease() throws Exception {
    List<ReleaseView> tagged = fake.releasesTagged(REPO, TAG);
    assertThat(tagged).as("releases of " + TAG).hasSize(1);
    ReleaseView release = tagged.get(0);
    assertThat(release.draft()).isFalse();
    assertThat(release.assets())
        .extracting(AssetView::name)
        .containsExactlyInAnyOrderElementsOf(GitHubTestKit.publishedNames());
    for (AssetView asset : release.assets()) {
      assertThat(fake.assetBytes(REPO, TAG, asset.name()))
          .isEqualTo(Files.readAllBytes(dir.resolve(asset.name())));
    }
    return release;
  }

  private List<RecordedRequest> creates() {
    return fake.requests().stream()
        .filter(r -> r.method().equals("POST") && r.path().endsWith("/releases"))
        .toList();
  }

  @Test
  void aCreateGitHubPerformedButAnsweredWith502IsFoundAgainInsteadOfCreatedTwice()
      throws Exception {
    fake.inject(Route.CREATE_RELEASE, Fault.createdThenBadGateway());

    publish();

    theOnlyRelease();
    assertThat(creates()).as("the retry found the release the first create made").hasSize(1);
  }

  @Test
  void twoConcurrentPublishesOfOneTagBothSucceedAndLeaveOneRelease() throws Exception {
    // Both listings are answered once both publishers have asked: each finds nothing and creates
    // a draft, however late the second thread starts.
    fake.inject(Route.LIST_RELEASES, Fault.together(2), Fault.together(2));
    // Two threads of their own: the common pool has one worker on a two-core machine.
    ExecutorService two = Executors.newFixedThreadPool(2);
    try {
      CompletableFuture<PublishResult> first =
          CompletableFuture.supplyAsync(this::publishUnchecked, two);
      CompletableFuture<PublishResult> second =
          CompletableFuture.supplyAsync(this::publishUnchecked, two);

      assertThat(first.join().draft()).isFalse();
      assertThat(second.join().draft()).isFalse();
    } finally {
      two.shutdownNow();
    }
    assertThat(creates()).as("both publishers created a draft").hasSize(2);
    theOnlyRelease();
  }

  @Test
  void draftsLeftBesideThePublishedReleaseAreDeletedAndThePublishedOneKept() throws Exception {
    long published = fake.createRelease(REPO, TAG, false);
    fake.createRelease(REPO, TAG, true);
    fake.createRelease(REPO, TAG, true);

    publish();

    assertThat(theOnlyRelease().id()).isEqualTo(published);
    assertThat(creates()).isEmpty();
    assertThat(listener.lines).anyMatch(l -> l.startsWith("info deleted duplicate draft release"));
  }

  @Test
  void severalDraftsOfOneTagResolveToTheOldest() throws Exception {
    long oldest = fake.createRelease(REPO, TAG, true);
    fake.createRelease(REPO, TAG, true);
    fake.createRelease(REPO, "v0.9.0", true);

    publish();

    assertThat(theOnlyRelease().id()).isEqualTo(oldest);
    assertThat(fake.releasesTagged(REPO, "v0.9.0"))
        .as("another tag's draft is not touched")
        .hasSize(1);
  }

  private PublishResult publishUnchecked() {
    try {
      return publish();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
