package org.opdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.github.fake.FakeGitHub;
import org.opdeploy.github.fake.Fault;
import org.opdeploy.github.fake.RecordedRequest;
import org.opdeploy.github.fake.Route;
import org.opdeploy.progress.ProgressEvent;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.release.ReleaseLocations;
import org.opdeploy.store.ReleaseSource;
import org.opdeploy.version.Version;

/**
 * Fetching from {@code github:OWNER/REPO} against the loopback fake of GitHub's Releases API that
 * the publishing side is tested with: the target downloads into its cache, and a download cut off
 * mid-body is continued with an HTTP {@code Range} request, not started over.
 */
class TargetGitHubIT {
  private static final String REPO = "acme/op-dbus";
  private static final String STREAM = "op-dbus-v1.0.0.send.zst";
  @TempDir Path tempDir;
  private TargetFixture fx;
  private FakeGitHub github;

  @AfterEach
  void tearDown() throws Exception {
    if (github != null) {
      github.close();
    }
    fx.close();
  }

  @Test
  void interruptedDownloadIsResumedWithARangeRequestAndDeployed() throws Exception {
    fx = new TargetFixture(tempDir, 512);
    fx.releases.writePayload("v1.0.0", 0, 4 << 20);
    fx.releases.release("v1.0.0", null, null, 0);
    ReleaseSource source = publishedOnGitHub();

    fx.agent(cutTheStreamAfterTheIndex()).deploy(Version.parse("v1.0.0"), source, false);

    long streamId = github.release(REPO, "v1.0.0").orElseThrow().asset(STREAM).id();
    // Without a token the browser URL serves the bytes; with one the API redirects to storage.
    List<String> ranges =
        github.requests().stream()
            .filter(
                r ->
                    r.path().equals("/storage/" + streamId)
                        || r.path().endsWith("/releases/download/v1.0.0/" + STREAM))
            .map(RecordedRequest::range)
            .toList();
    assertThat(github.pendingFaults(Route.DOWNLOAD)).as("the cut happened").isZero();
    assertThat(ranges).hasSizeGreaterThanOrEqualTo(2);
    assertThat(ranges.get(0)).isNull();
    assertThat(ranges.get(ranges.size() - 1)).startsWith("bytes=").isNotEqualTo("bytes=0-");
    assertThat(Files.readString(fx.deployment("v1.0.0").resolve("etc/op-dbus/version")))
        .isEqualTo("v1.0.0\n");
    assertThat(fx.layout().cache(Version.parse("v1.0.0")).resolve(STREAM))
        .as("received, then dropped")
        .doesNotExist();
    assertThat(fx.agent().status().source()).isEqualTo("github:" + REPO);
  }

  @Test
  void streamedDeployResumesFromTheLastProvenChunkWithARangeRequestAndCachesNothing()
      throws Exception {
    long chunk = 64 << 10;
    fx = new TargetFixture(tempDir, 512);
    fx.releases.withChunkIndex(chunk);
    fx.releases.writePayload("v1.0.0", 0, 4 << 20);
    fx.releases.release("v1.0.0", null, null, 0);
    ReleaseSource source = publishedOnGitHub();

    fx.agent(cutTheStreamAfterTheIndex()).deploy(Version.parse("v1.0.0"), source, false);

    List<String> ranges =
        github.requests().stream()
            .filter(r -> r.path().endsWith("/releases/download/v1.0.0/" + STREAM))
            .map(RecordedRequest::range)
            .toList();
    assertThat(github.pendingFaults(Route.DOWNLOAD)).as("the cut happened").isZero();
    assertThat(ranges).hasSize(2);
    assertThat(ranges.get(0)).isNull();
    long resumedAt = Long.parseLong(ranges.get(1).replaceAll("bytes=(\\d+)-", "$1"));
    assertThat(resumedAt)
        .as("the end of a proven chunk")
        .isPositive()
        .matches(at -> at % chunk == 0);
    assertThat(Files.readString(fx.deployment("v1.0.0").resolve("etc/op-dbus/version")))
        .isEqualTo("v1.0.0\n");
    try (Stream<Path> cached = Files.list(fx.layout().cache(Version.parse("v1.0.0")))) {
      assertThat(cached.map(p -> p.getFileName().toString()))
          .as("the stream never touched the disk")
          .noneMatch(name -> name.startsWith(STREAM));
    }
  }

  /** The fixture's v1.0.0 as a published release of the fake GitHub, and the source reading it. */
  private ReleaseSource publishedOnGitHub() throws Exception {
    github = FakeGitHub.start();
    github.createRelease(REPO, "v1.0.0", false);
    try (Stream<Path> files = Files.list(fx.releases.store().resolve("v1.0.0"))) {
      for (Path file : files.toList()) {
        github.putAsset(
            REPO,
            "v1.0.0",
            file.getFileName().toString(),
            Files.readAllBytes(file),
            "uploaded",
            null);
      }
    }
    return ReleaseLocations.openSource("github:" + REPO, Map.of("GITHUB_API_URL", github.apiUrl()));
  }

  /** Cuts the connection in the middle of the stream, the first download after the signed index. */
  private ProgressListener cutTheStreamAfterTheIndex() {
    return new ProgressListener() {
      @Override
      public void progress(ProgressEvent event) {
        if (event.finished() && event.task().equals("download op-dbus-v1.0.0.manifest.json")) {
          github.inject(Route.DOWNLOAD, Fault.resetMidBody());
        }
      }
    };
  }
}
