package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.github.fake.FakeGitHub;
import org.opdeploy.github.fake.FakeRelease;

/**
 * The build side publishes to GitHub and the target side upgrades from it, both through the CLI,
 * against the stateful fake GitHub on loopback: a tagged release, then a nightly prerelease whose
 * incremental stream the target uses.
 */
class GitHubRoundTripIT {
  private static final String REPO = "acme/op-dbus";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private FakeGitHub github;
  private TwoHosts hosts;

  @BeforeEach
  void setUp() throws Exception {
    github = FakeGitHub.start();
    hosts = TwoHosts.create(dir, null);
    hosts.env.put("GITHUB_API_URL", github.apiUrl());
    hosts.env.put("GITHUB_TOKEN", github.token());
  }

  @AfterEach
  void tearDown() throws Exception {
    hosts.close();
    github.close();
  }

  private JsonNode opdeploy(String... args) throws Exception {
    CliRun run = hosts.run(concat("--json", args));
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    return JSON.readTree(run.stdout());
  }

  private static String[] concat(String first, String... rest) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(rest));
    return all.toArray(String[]::new);
  }

  @Test
  void aTaggedReleaseAndANightlyGoThroughGitHubToATarget() throws Exception {
    JsonNode tagged = opdeploy("release", "v1.0.0", "--to", "github:" + REPO);
    assertThat(tagged.get("draft").asBoolean()).isFalse();
    FakeRelease.ReleaseView v1 = github.release(REPO, "v1.0.0").orElseThrow();
    assertThat(v1.draft()).isFalse();
    assertThat(v1.prerelease()).isFalse();
    assertThat(v1.assets())
        .extracting(a -> a.name())
        .contains(
            "SHA256SUMS",
            "SHA256SUMS.asc",
            "op-dbus-v1.0.0.manifest.json",
            "op-dbus-v1.0.0.send.zst");

    JsonNode nightly = opdeploy("release", "--nightly", "--to", "github:" + REPO);
    String nightlyVersion = nightly.get("version").asText();
    assertThat(nightlyVersion).matches("nightly-\\d{8}");
    assertThat(github.release(REPO, nightlyVersion).orElseThrow().prerelease()).isTrue();
    assertThat(nightly.at("/manifest/streams/1/parent/version").asText()).isEqualTo("v1.0.0");

    assertThat(
            opdeploy("upgrade", "v1.0.0", "--from", "github:" + REPO).at("/deploy/stream").asText())
        .isEqualTo("full");
    github.clearRequests();
    JsonNode upgraded = opdeploy("upgrade", nightlyVersion, "--from", "github:" + REPO);
    assertThat(upgraded.at("/deploy/stream").asText()).isEqualTo("incremental");
    assertThat(github.requests())
        .extracting(r -> r.pathAndQuery())
        .noneMatch(p -> p.contains(nightlyVersion + ".send.zst"));

    for (CliRun run : hosts.runs) {
      assertThat(run.stdout() + run.stderr()).doesNotContain(github.token());
    }
  }
}
