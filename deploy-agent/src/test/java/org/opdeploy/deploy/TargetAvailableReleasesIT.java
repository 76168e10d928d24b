package org.opdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.deploy.update.AvailableRelease;
import org.opdeploy.deploy.update.AvailableReleases;
import org.opdeploy.deploy.update.Track;
import org.opdeploy.github.fake.FakeGitHub;
import org.opdeploy.github.fake.FakeWebServer;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.release.ReleaseLocations;
import org.opdeploy.store.DirectoryStore;
import org.opdeploy.store.HttpsReleaseSource;
import org.opdeploy.store.PublishRequest;
import org.opdeploy.store.ReleaseSource;
import org.opdeploy.version.Version;

/**
 * What check-new, list --source and upgrade latest read — the releases a source offers, the newest
 * the track allows, the stream a deploy would take — the same from a {@code dir:} store, the {@code
 * https://} mirror of it (listed through its VERSIONS index) and the fake GitHub (paginated, a
 * draft hidden), before and after the target holds a parent.
 */
class TargetAvailableReleasesIT {
  private static final String REPO = "acme/op-dbus";
  @TempDir Path tempDir;
  private TargetFixture fx;
  private FakeWebServer web;
  private FakeGitHub github;

  @AfterEach
  void tearDown() throws Exception {
    if (web != null) {
      web.close();
    }
    if (github != null) {
      github.close();
    }
    fx.close();
  }

  @Test
  void dirHttpsAndGitHubOfferTheNewestOnTheTrackWithTheStreamADeployWouldTake() throws Exception {
    fx = new TargetFixture(tempDir, 512);
    fx.publish("v1.0.0", null);
    fx.publish("v1.1.0", "v1.0.0");
    fx.publish("v1.2.0-rc.1", "v1.1.0");
    DirectoryStore published = new DirectoryStore(tempDir.resolve("published"));
    github = FakeGitHub.start(FakeGitHub.Options.defaults().withMaxPerPage(2).withToken("t"));
    for (String version : List.of("v1.0.0", "v1.1.0", "v1.2.0-rc.1")) {
      Path folder = fx.releases.store().resolve(version);
      Version v = Version.parse(version);
      published.publish(
          new PublishRequest(v, folder, version, "", false, v.isPrerelease()),
          ProgressListener.NONE);
      github.createRelease(REPO, version, false);
      try (Stream<Path> files = Files.list(folder)) {
        for (Path file : files.toList()) {
          github.putAsset(
              REPO,
              version,
              file.getFileName().toString(),
              Files.readAllBytes(file),
              "uploaded",
              null);
        }
      }
    }
    github.createRelease(REPO, "v9.0.0", true); // a draft: never offered
    assertThat(Files.readString(tempDir.resolve("published/VERSIONS")))
        .isEqualTo("v1.0.0\nv1.1.0\nv1.2.0-rc.1\n");
    web = FakeWebServer.serve(tempDir.resolve("published"));
    Map<String, ReleaseSource> sources = new LinkedHashMap<>();
    sources.put("dir", published);
    sources.put("https", new HttpsReleaseSource(web.url()));
    sources.put(
        "github",
        ReleaseLocations.openSource(
            "github:" + REPO, Map.of("GITHUB_API_URL", github.apiUrl(), "GITHUB_TOKEN", "t")));
    TargetAgent agent = fx.agent();

    for (Map.Entry<String, ReleaseSource> source : sources.entrySet()) {
      AvailableReleases fresh = agent.available(source.getValue(), Track.STABLE, true);
      assertThat(fresh.releases())
          .as(source.getKey())
          .extracting(r -> r.version().toString())
          .containsExactly("v1.0.0", "v1.1.0", "v1.2.0-rc.1");
      assertThat(fresh.newest()).as(source.getKey()).contains(Version.parse("v1.1.0"));
      AvailableRelease candidate = fresh.releases().get(1);
      assertThat(candidate.stream()).as(source.getKey()).isEqualTo("full");
      assertThat(candidate.downloadBytes()).isPositive();
      assertThat(fresh.releases().get(2).allowed()).isFalse();
    }

    agent.upgrade(Version.parse("v1.0.0"), published, false);

    for (Map.Entry<String, ReleaseSource> source : sources.entrySet()) {
      AvailableReleases stable = agent.available(source.getValue(), Track.STABLE, true);
      assertThat(stable.active()).contains(Version.parse("v1.0.0"));
      assertThat(stable.releases().get(0).installed()).isTrue();
      assertThat(stable.releases().get(0).active()).isTrue();
      AvailableRelease next = stable.releases().get(1);
      assertThat(next.stream()).as(source.getKey()).isEqualTo("incremental");
      assertThat(next.parent()).isEqualTo(Version.parse("v1.0.0"));
      AvailableReleases prerelease = agent.available(source.getValue(), Track.PRERELEASE, false);
      assertThat(prerelease.newest()).as(source.getKey()).contains(Version.parse("v1.2.0-rc.1"));
    }

    agent.upgrade(
        agent.available(sources.get("github"), Track.STABLE, false).newest().orElseThrow(),
        sources.get("github"),
        false);

    for (Map.Entry<String, ReleaseSource> source : sources.entrySet()) {
      assertThat(agent.available(source.getValue(), Track.STABLE, false).newest())
          .as(source.getKey())
          .isEmpty();
      assertThat(agent.available(source.getValue(), Track.NIGHTLY, false).newest())
          .contains(Version.parse("v1.2.0-rc.1"));
    }
  }
}
