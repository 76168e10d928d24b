package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opdeploy.github.fake.FakeGitHub;
import org.opdeploy.github.fake.FakeRelease;

/** {@code opdeploy prune --releases} as a user runs it, against the fake GitHub. */
class PruneReleasesCliTest {
  private static final String REPO = "acme/op-dbus";
  private FakeGitHub github;
  private Map<String, String> env;

  @BeforeEach
  void seed() {
    github = FakeGitHub.start();
    env = Map.of("GITHUB_API_URL", github.apiUrl(), "GITHUB_TOKEN", github.token());
    for (String tag :
        List.of("v1.0.0", "nightly-20261101", "nightly-20261102", "nightly-20261103", "v1.1.0")) {
      github.createRelease(REPO, tag, false);
    }
  }

  @AfterEach
  void stop() {
    github.close();
  }

  private List<String> tags() {
    return github.releases(REPO).stream().map(FakeRelease.ReleaseView::tag).sorted().toList();
  }

  @Test
  void dryRunListsExactlyWhatWouldGoAndTheRealRunDeletesJustThat() throws Exception {
    CliRun dry =
        CliRun.of(env, "prune", "--releases", "--keep", "1", "--to", "github:" + REPO, "--dry-run");
    assertThat(dry.exitCode()).as(dry.stderr()).isZero();
    assertThat(dry.stdout())
        .isEqualTo(
            "would delete release nightly-20261101\n"
                + "would delete release nightly-20261102\n"
                + "would keep 1 nightly release(s), delete 2; 2 stable release(s) untouched\n");
    assertThat(tags()).hasSize(5);

    CliRun json =
        CliRun.of(env, "--json", "prune", "--releases", "--keep", "1", "--to", "github:" + REPO);
    assertThat(json.exitCode()).as(json.stderr()).isZero();
    JsonNode doc = new ObjectMapper().readTree(json.stdout());
    assertThat(doc.get("deleted").toString())
        .isEqualTo("[\"nightly-20261101\",\"nightly-20261102\"]");
    assertThat(doc.get("kept").toString()).isEqualTo("[\"nightly-20261103\"]");
    assertThat(doc.get("stable").toString()).isEqualTo("[\"v1.0.0\",\"v1.1.0\"]");
    assertThat(tags()).containsExactly("nightly-20261103", "v1.0.0", "v1.1.0");
    assertThat(github.tags(REPO)).containsExactly("nightly-20261103", "v1.0.0", "v1.1.0");

    CliRun again =
        CliRun.of(env, "prune", "--releases", "--keep", "1", "--to", "github:" + REPO, "--dry-run");
    assertThat(again.stdout())
        .isEqualTo("nothing to delete: 1 nightly release(s) on github:" + REPO + ", all kept\n");
  }

  @Test
  void toWithoutReleasesAndReleasesWithoutToAreBadUsage() {
    CliRun noFlag = CliRun.of(env, "prune", "--keep", "1", "--to", "github:" + REPO);
    assertThat(noFlag.exitCode()).isEqualTo(2);
    assertThat(noFlag.stderr()).contains("--releases and --to go together");
    CliRun noStore = CliRun.of(env, "prune", "--releases", "--keep", "1");
    assertThat(noStore.exitCode()).isEqualTo(2);
    assertThat(tags()).hasSize(5);
  }
}
