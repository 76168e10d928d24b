package org.opdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.btrfs.BtrfsCli;
import org.opdeploy.btrfs.SubvolumeInfo;
import org.opdeploy.http.RetryPolicy;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.version.Version;

/**
 * Interrupted downloads, killed receives and full disks: each converges, none leaves a subvolume.
 */
class TargetInterruptionIT {
  @TempDir Path tempDir;
  private TargetFixture fx;

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  /**
   * Data btrfs cannot compress (random within 128 KiB) that zstd shrinks (repeats within its
   * window).
   */
  private void writeBulk(String name, int megabytes) throws IOException {
    byte[] block = new byte[1 << 20];
    new Random(7).nextBytes(block);
    Path file = fx.releases.golden().resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < megabytes; i++) {
        out.write(block);
      }
    }
  }

  private List<SubvolumeInfo> subvolumesUnder(Path dir) throws Exception {
    return new BtrfsCli(new ProcessRunner()).list(dir);
  }

  @Test
  void interruptedDownloadContinuesAfterTheBytesAlreadyFetched() throws Exception {
    fx = new TargetFixture(tempDir, 512);
    fx.releases.writePayload("v1.0.0", 0, 4 << 20);
    fx.releases.release("v1.0.0", null, null, 0);
    String stream = "op-dbus-v1.0.0.send.zst";
    fx.faults.breakOnce(stream, 1 << 20);
    TargetAgent oneAttempt = fx.agent().withRetry(RetryPolicy.of(1, java.time.Duration.ZERO));

    assertThatThrownBy(() -> oneAttempt.deploy(Version.parse("v1.0.0"), fx.faults, false))
        .hasMessageContaining("connection reset");
    assertThat(fx.agent().status().pendingDownloads())
        .singleElement()
        .satisfies(p -> assertThat(p.bytes()).isEqualTo(1 << 20));

    fx.agent().deploy(Version.parse("v1.0.0"), fx.faults, false);

    assertThat(fx.faults.requests())
        .filteredOn(r -> r.asset().equals(stream))
        .extracting(FaultySource.Request::offset)
        .containsExactly(0L, (long) (1 << 20));
    assertThat(fx.deployment("v1.0.0")).isDirectory();
    assertThat(fx.agent().status().pendingDownloads()).isEmpty();
  }

  @Test
  void transientFailureIsRetriedWithinOneRun() throws Exception {
    fx = new TargetFixture(tempDir, 512);
    fx.publish("v1.0.0", null);
    String stream = "op-dbus-v1.0.0.send.zst";
    fx.faults.breakOnce(stream, 100_000);

    fx.agent().deploy(Version.parse("v1.0.0"), fx.faults, false);

    assertThat(fx.faults.requests())
        .filteredOn(r -> r.asset().equals(stream))
        .extracting(FaultySource.Request::offset)
        .containsExactly(0L, 100_000L);
  }

  @Test
  void receiveKilledMidStreamIsSweptAndTheRerunConverges() throws Exception {
    fx = new TargetFixture(tempDir, 1024);
    fx.releases.writePayload("v1.0.0", 0, 1024);
    writeBulk("bulk.bin", 160);
    Manifest manifest = fx.releases.release("v1.0.0", null, null, 0);
    Path marker = fx.layout().staging().resolve("@op-dbus-v1.0.0");

    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                DeployMain.class.getName(),
                "deploy",
                fx.settings.root().toString(),
                fx.settings.trustedKeys().toString(),
                fx.releases.store().toString(),
                "v1.0.0",
                "--slow-receive")
            .redirectErrorStream(true)
            .redirectOutput(tempDir.resolve("child.log").toFile())
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!(Files.exists(marker)
          && new BtrfsCli(new ProcessRunner()).isSubvolume(fx.deployment("v1.0.0")))) {
        assertThat(child.isAlive())
            .as("child still deploying: " + Files.readString(tempDir.resolve("child.log")))
            .isTrue();
        assertThat(System.nanoTime()).as("receive started within 60 s").isLessThan(deadline);
        Thread.sleep(20);
      }
      Thread.sleep(200);
    } finally {
      child.destroyForcibly(); // SIGKILL: no cleanup code of the child runs
      child.waitFor(10, TimeUnit.SECONDS);
    }
    waitForOrphanReceiveToExit();
    SubvolumeInfo leftover = new BtrfsCli(new ProcessRunner()).show(fx.deployment("v1.0.0"));
    assertThat(leftover.received()).as("the receive was interrupted").isEmpty();
    assertThat(fx.agent().status().installed())
        .as("an interrupted receive is no deployment")
        .isEmpty();

    fx.agent().deploy(Version.parse("v1.0.0"), fx.source, false);

    List<SubvolumeInfo> all = subvolumesUnder(fx.layout().deployments());
    assertThat(all)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.receivedUuid()).isEqualTo(manifest.subvolume().uuid());
              assertThat(s.readOnly()).isTrue();
            });
    assertThat(fx.layout().staging()).isEmptyDirectory();
  }

  @Test
  void releaseLargerThanTheDiskIsRefusedBeforeItsReceiveAndLeavesTheActiveVersionRunning()
      throws Exception {
    fx = new TargetFixture(tempDir, 200);
    fx.publish("v1.0.0", null);
    fx.agent().upgrade(Version.parse("v1.0.0"), fx.source, false);
    fx.releases.writePayload("v2.0.0", 0, 1024);
    writeBulk("bulk.bin", 300);
    fx.releases.release("v2.0.0", "v1.0.0", null, 0);
    fx.runner.clear();

    assertThatThrownBy(() -> fx.agent().upgrade(Version.parse("v2.0.0"), fx.source, false))
        .hasMessageContaining("not enough free space for v2.0.0")
        .satisfies(
            e ->
                assertThat(((org.opdeploy.error.OpdeployException) e).exitCode().code())
                    .isEqualTo(2));

    assertThat(fx.deployment("v2.0.0")).doesNotExist();
    assertThat(fx.layout().staging()).isEmptyDirectory();
    assertThat(fx.runner.ran("receive")).as("btrfs receive never started").isFalse();
    assertThat(subvolumesUnder(fx.layout().deployments()))
        .extracting(s -> s.path().getFileName().toString())
        .containsExactly("@op-dbus-v1.0.0");
    assertThat(fx.state().active()).hasToString("v1.0.0");
    assertThat(Files.readString(fx.settings.mount().resolve("etc/op-dbus/version")).strip())
        .isEqualTo("v1.0.0");
  }

  private static void waitForOrphanReceiveToExit() throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      boolean running =
          ProcessHandle.allProcesses()
              .anyMatch(
                  p ->
                      p.info()
                          .commandLine()
                          .map(c -> c.contains("receive -C -e") && c.contains("op-dbus/deploy"))
                          .orElse(false));
      if (!running) {
        return;
      }
      Thread.sleep(100);
    }
  }
}
