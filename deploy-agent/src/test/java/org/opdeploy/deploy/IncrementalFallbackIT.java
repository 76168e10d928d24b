package org.opdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.btrfs.BtrfsCli;
import org.opdeploy.deploy.receive.DeployResult;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/**
 * Issue 10, item 7: an incremental stream the target cannot apply for a reason of its own falls
 * back once to the full stream of the same release; a trust failure never does.
 */
class IncrementalFallbackIT {
  @TempDir Path tempDir;
  private TargetFixture fx;
  private final List<String> warnings = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    fx = new TargetFixture(tempDir, 512);
    fx.publish("v1.0.0", null);
    fx.publish("v2.0.0", "v1.0.0");
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  @Test
  void receivedUuidCollisionWithAnotherCopyFallsBackToTheFullStream() throws Exception {
    // A second copy of v1.0.0 elsewhere on the target's filesystem, received first: btrfs receive
    // finds the parent by received uuid and takes this one, not the deployment.
    Path other = Files.createDirectories(fx.target.root().resolve("second-root"));
    Path full = fx.releases.store().resolve("v1.0.0/op-dbus-v1.0.0.send.zst");
    new ProcessRunner()
        .run(
            ProcessSpec.of(
                "bash",
                "-c",
                "zstd -dcq \"$1\" | btrfs -q receive \"$2\"",
                "receive",
                full.toString(),
                other.toString()));
    fx.agent().deploy(Version.parse("v1.0.0"), fx.source, false);

    DeployResult result = fx.agent(recorder()).deploy(Version.parse("v2.0.0"), fx.source, false);

    assertThat(result.incremental()).isFalse();
    assertThat(warnings).anyMatch(w -> w.contains("falling back to the full stream of v2.0.0"));
    assertThat(new BtrfsCli(new ProcessRunner()).show(fx.deployment("v2.0.0")).readOnly()).isTrue();
    assertOnlyDeployments("@op-dbus-v1.0.0", "@op-dbus-v2.0.0");
    assertThat(
            fx.layout()
                .cache(Version.parse("v2.0.0"))
                .resolve("op-dbus-v2.0.0-from-v1.0.0.send.zst"))
        .doesNotExist();
  }

  @Test
  void parentVanishingBeforeTheReceiveFallsBackToTheFullStream() throws Exception {
    fx.agent().deploy(Version.parse("v1.0.0"), fx.source, false);
    AtomicBoolean once = new AtomicBoolean();
    ProgressListener removeParent =
        new ProgressListener() {
          @Override
          public void stepStarted(String name) {
            if (name.equals("receive v2.0.0") && once.compareAndSet(false, true)) {
              try {
                new BtrfsCli(new ProcessRunner()).delete(fx.deployment("v1.0.0"));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            }
          }

          @Override
          public void warn(String line) {
            warnings.add(line);
          }
        };

    DeployResult result = fx.agent(removeParent).deploy(Version.parse("v2.0.0"), fx.source, false);

    assertThat(result.incremental()).isFalse();
    assertThat(warnings)
        .anyMatch(w -> w.contains("vanished since the fetch") && w.contains("falling back"));
    assertOnlyDeployments("@op-dbus-v2.0.0");
  }

  @Test
  void incrementalRefusedForTrustDoesNotFallBack() throws Exception {
    fx.agent().deploy(Version.parse("v1.0.0"), fx.source, false);
    redeclareIncrementalSize(-1);
    fx.runner.clear();

    assertThatThrownBy(() -> fx.agent(recorder()).deploy(Version.parse("v2.0.0"), fx.source, false))
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining("bytes its manifest declares")
        .satisfies(
            e ->
                assertThat(((OpdeployException) e).exitCode())
                    .isEqualTo(ExitCode.VERIFICATION_FAILED));

    assertThat(fx.runner.commands().stream().filter(c -> c.contains(" receive "))).hasSize(1);
    assertThat(warnings).noneMatch(w -> w.contains("falling back"));
    assertOnlyDeployments("@op-dbus-v1.0.0");
  }

  private ProgressListener recorder() {
    return new ProgressListener() {
      @Override
      public void warn(String line) {
        warnings.add(line);
      }
    };
  }

  private void redeclareIncrementalSize(long delta) throws Exception {
    fx.releases.rewriteManifest(
        "v2.0.0", m -> ReleaseFactory.withStreamSizes(m, s -> !s.isFull(), delta));
  }

  private void assertOnlyDeployments(String... names) throws Exception {
    try (Stream<Path> entries = Files.list(fx.layout().deployments())) {
      assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".staging")))
          .containsExactlyInAnyOrder(names);
    }
    assertThat(fx.layout().staging()).isEmptyDirectory();
  }
}
