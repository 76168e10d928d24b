package org.opdeploy.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opdeploy.github.GitHubTestKit.REPO;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.github.fake.FakeGitHub;
import org.opdeploy.github.fake.FakeRelease;
import org.opdeploy.github.fake.RecordedRequest;
import org.opdeploy.github.fake.RecordingSleeper;
import org.opdeploy.store.PruneReleasesStep;
import org.opdeploy.store.ReleasePrunePlan;
import org.opdeploy.version.Version;

/** {@code prune --releases} on GitHub: old nightlies and their tags go, stable releases stay. */
class PruneGitHubReleasesTest {
  private static final List<String> NIGHTLIES =
      List.of(
          "nightly-20260101",
          "nightly-20260102",
          "nightly-20260102.2",
          "nightly-20260103",
          "nightly-20260104");
  FakeGitHub fake;
  RecordingSleeper sleeper = new RecordingSleeper();
  GitHubTestKit.Listener listener = new GitHubTestKit.Listener();

  @BeforeEach
  void seed() {
    fake = FakeGitHub.start();
    fake.createRelease(REPO, "v0.9.0", false);
    for (String tag : NIGHTLIES) {
      fake.createRelease(REPO, tag, false);
    }
    fake.createRelease(REPO, "v1.0.0-rc.1", false);
    fake.clearRequests();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private PruneReleasesStep step(String token, int keep) throws Exception {
    return new PruneReleasesStep(GitHubTestKit.store(fake, token, sleeper), keep, listener);
  }

  private List<String> releaseTags() {
    return fake.releases(REPO).stream().map(FakeRelease.ReleaseView::tag).sorted().toList();
  }

  @Test
  void deletesTheOldestNightliesAndTheirTagsAndNeverAStableRelease() throws Exception {
    ReleasePrunePlan done = step(fake.token(), 2).run();

    assertThat(done.delete())
        .extracting(Version::text)
        .containsExactly("nightly-20260101", "nightly-20260102", "nightly-20260102.2");
    assertThat(done.keep())
        .extracting(Version::text)
        .containsExactly("nightly-20260103", "nightly-20260104");
    assertThat(done.stable()).extracting(Version::text).containsExactly("v0.9.0", "v1.0.0-rc.1");
    assertThat(releaseTags())
        .containsExactly("nightly-20260103", "nightly-20260104", "v0.9.0", "v1.0.0-rc.1");
    assertThat(fake.tags(REPO))
        .containsExactly("nightly-20260103", "nightly-20260104", "v0.9.0", "v1.0.0-rc.1");
    assertThat(fake.requests())
        .filteredOn(r -> r.method().equals("DELETE"))
        .extracting(RecordedRequest::path)
        .contains("/repos/acme/op-dbus/git/refs/tags/nightly-20260102.2");
  }

  @Test
  void planDeletesNothingAndNamesExactlyWhatRunDeletes() throws Exception {
    ReleasePrunePlan plan = step(fake.token(), 3).plan();

    assertThat(fake.requests()).noneMatch(r -> r.method().equals("DELETE"));
    assertThat(releaseTags()).hasSize(7);
    assertThat(plan.delete())
        .extracting(Version::text)
        .containsExactly("nightly-20260101", "nightly-20260102");
    assertThat(step(fake.token(), 3).run().delete()).isEqualTo(plan.delete());
    assertThat(step(fake.token(), 3).plan().delete()).isEmpty();
  }

  @Test
  void aDraftNightlyWithoutATagIsDeletedAndTheMissingTagCountsAsGone() throws Exception {
    fake.createRelease(REPO, "nightly-20251231", true);

    step(fake.token(), 5).run();

    assertThat(releaseTags()).doesNotContain("nightly-20251231");
    assertThat(releaseTags()).contains("nightly-20260101");
  }

  @Test
  void withoutATokenNothingIsDeletedAndTheMessageSaysWhatIsMissing() {
    assertThatThrownBy(() -> step(null, 1).run())
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining("GITHUB_TOKEN is not set");
    assertThat(releaseTags()).hasSize(7);
  }

  @Test
  void aReadOnlyTokenIsRefusedByGitHubAndTheStableReleasesStay() {
    assertThatThrownBy(() -> step(fake.readOnlyToken(), 1).run())
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining("delete release");
    assertThat(fake.tags(REPO)).contains("v0.9.0", "nightly-20260104");
  }
}
