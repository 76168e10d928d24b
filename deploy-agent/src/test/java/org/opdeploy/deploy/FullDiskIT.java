package org.opdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.audit.SpaceReserve;
import org.opdeploy.deploy.activate.ActivationResult;
import org.opdeploy.deploy.prune.PruneResult;
import org.opdeploy.deploy.space.InsufficientSpaceException;
import org.opdeploy.deploy.status.StatusReport;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressEvent;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/**
 * The target's filesystem filled to 100 % with {@code dd} (random bytes: the mount compresses):
 * status, rollback, activate and target prune still work and are audited; an upgrade that does not
 * fit is refused before a byte is downloaded, naming what it needs and what is free.
 */
class FullDiskIT {
  private static final String OLD = "v0.9.0";
  private static final String V1 = "v1.0.0";
  private static final String V2 = "v2.0.0";
  private static final String V3 = "v3.0.0";

  @TempDir Path tempDir;
  private TargetFixture fx;
  private TargetInvariants target;

  @BeforeEach
  void installThreeVersions() throws Exception {
    fx = new TargetFixture(tempDir, 320);
    target = new TargetInvariants(fx);
    fx.publish(OLD, null);
    fx.publish(V1, OLD);
    fx.publish(V2, V1);
    for (String version : List.of(OLD, V1, V2)) {
      fx.agent().upgrade(Version.parse(version), fx.source, false);
    }
    assertThat(fx.layout().reserveFile())
        .as("the first runs set space aside")
        .isRegularFile()
        .satisfies(f -> assertThat(Files.size(f)).isEqualTo(SpaceReserve.DEFAULT_BYTES));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  /**
   * Fills the target's filesystem with incompressible bytes, leaving {@code leave} bytes or none.
   */
  private void fill(long leave) throws Exception {
    Path file = fx.target.root().resolve("fill-" + System.nanoTime());
    long free = SpaceReserve.freeBytes(fx.target.root());
    List<String> dd =
        leave == 0
            ? List.of("dd", "if=/dev/urandom", "of=" + file, "bs=1M", "status=none")
            : List.of(
                "dd",
                "if=/dev/urandom",
                "of=" + file,
                "bs=1M",
                "status=none",
                "count=" + ((free - leave) >> 20));
    new ProcessBuilder(dd).redirectErrorStream(true).start().waitFor();
    if (leave == 0) {
      // Top up what a 1 MiB block could not take.
      new ProcessBuilder("dd", "if=/dev/urandom", "of=" + file + "-tail", "bs=4k", "status=none")
          .redirectErrorStream(true)
          .start()
          .waitFor();
    }
    new ProcessBuilder("sync", "-f", fx.target.root().toString()).start().waitFor();
    if (leave == 0) {
      assertThat(SpaceReserve.freeBytes(fx.target.root())).as("the filesystem is full").isZero();
      assertThatThrownBy(
              () -> Files.writeString(fx.target.root().resolve("probe"), "x".repeat(10_000)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("No space left on device");
    }
  }

  private int exitCodeOf(Throwable e) {
    return ((OpdeployException) e).exitCode().code();
  }

  @Test
  void statusOnAFullDiskReportsTheTarget() throws Exception {
    fill(0);

    StatusReport status = fx.agent().status();

    assertThat(status.active()).hasToString(V2);
    assertThat(status.previous()).hasToString(V1);
    assertThat(status.installed())
        .extracting(i -> i.version().toString())
        .containsExactly(OLD, V1, V2);
  }

  @Test
  void rollbackOnAFullDiskSwitchesBackAndIsAudited() throws Exception {
    fill(0);
    int mark = target.auditLines();

    ActivationResult result = fx.agent().rollback(Optional.empty());

    assertThat(result.version().toString()).isEqualTo(V1);
    target.assertConverged(V1, OLD, V1, V2);
    assertThat(fx.state().previous()).hasToString(V2);
    assertThat(TargetInvariants.summary(target.auditFrom(mark)))
        .containsExactly("rollback started", "rollback ok");
    assertThat(fx.layout().reserveFile())
        .as("the reserve was given back for this run")
        .doesNotExist();
  }

  @Test
  void activateOnAFullDiskSwitchesAndASecondRunStillFits() throws Exception {
    fill(0);

    fx.agent().activate(Version.parse(OLD));
    fx.agent().activate(Version.parse(V2));

    target.assertConverged(V2, OLD, V1, V2);
    assertThat(fx.state().previous()).hasToString(OLD);
  }

  @Test
  void targetPruneOnAFullDiskRemovesOldVersions() throws Exception {
    fill(0);
    int mark = target.auditLines();

    PruneResult result = fx.agent().prune(1);

    assertThat(result.removed()).extracting(Version::toString).containsExactly(OLD);
    assertThat(fx.layout().cache(Version.parse(OLD))).doesNotExist();
    target.assertConverged(V2, V1, V2);
    assertThat(TargetInvariants.summary(target.auditFrom(mark)))
        .containsExactly("target prune started", "target prune ok");
  }

  @Test
  void upgradeOnAFullDiskIsRefusedBeforeAnythingIsDownloaded() throws Exception {
    fx.publish(V3, V2);
    fill(0);
    int mark = target.auditLines();

    assertThatThrownBy(() -> fx.agent().upgrade(Version.parse(V3), fx.faults, false))
        .isInstanceOf(InsufficientSpaceException.class)
        .satisfies(e -> assertThat(exitCodeOf(e)).isEqualTo(ExitCode.BAD_INPUT.code()))
        .hasMessageMatching(
            "not enough free space for v3\\.0\\.0 on the filesystem of \\S+: needs \\d+ bytes"
                + " \\(download \\d+ \\+ receive 0 \\+ margin \\d+\\), \\d+ bytes free; remove old versions"
                + " \\(opdeploy target prune --keep N\\) or grow the filesystem");

    assertThat(fx.faults.requests()).as("nothing was downloaded").isEmpty();
    assertThat(fx.layout().cache(Version.parse(V3))).doesNotExist();
    target.assertConverged(V2, OLD, V1, V2);
    assertThat(TargetInvariants.summary(target.auditFrom(mark)))
        .containsExactly("upgrade started", "upgrade failed");
    assertThat(target.auditFrom(mark).get(1).get("details").get("exit").asText()).isEqualTo("2");
  }

  @Test
  void releaseLargerThanTheFreeSpaceIsRefusedAfterItsIndexNamingBothNumbers() throws Exception {
    fx.releases.writePayload(V3, 0, 1024);
    writeBulk("bulk.bin", 120);
    fx.releases.release(V3, V2, null, 0);
    fill(100L << 20);
    long free = SpaceReserve.freeBytes(fx.target.root());

    assertThatThrownBy(() -> fx.agent().deploy(Version.parse(V3), fx.faults, false))
        .isInstanceOf(InsufficientSpaceException.class)
        .hasMessageContaining("not enough free space for v3.0.0")
        .satisfies(
            e -> {
              InsufficientSpaceException refused = (InsufficientSpaceException) e;
              assertThat(refused.needed()).isGreaterThan(120L << 20);
              assertThat(refused.free()).isBetween(free - (1 << 20), free + (1 << 20));
              assertThat(e.getMessage())
                  .contains("needs " + refused.needed() + " bytes", refused.free() + " bytes free");
            });

    assertThat(fx.faults.requests())
        .extracting(FaultySource.Request::asset)
        .as("only the signed index")
        .containsExactlyInAnyOrder("SHA256SUMS", "SHA256SUMS.asc", "op-dbus-v3.0.0.manifest.json");
    assertThat(fx.layout().cache(Version.parse(V3)))
        .as("a refused release leaves no cache")
        .doesNotExist();
    target.assertConverged(V2, OLD, V1, V2);
  }

  @Test
  void diskFillingUpDuringTheReceiveCleansUpAndTheFailureIsAudited() throws Exception {
    fx.releases.writePayload(V3, 0, 1024);
    writeBulk("bulk.bin", 120);
    fx.releases.release(V3, V2, null, 0);
    int mark = target.auditLines();
    ProgressListener fillOnReceive =
        new ProgressListener() {
          private boolean filled;

          @Override
          public void progress(ProgressEvent event) {
            if (event.task().startsWith("receive") && !filled) {
              filled = true;
              try {
                fill(0);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            }
          }
        };

    assertThatThrownBy(() -> fx.agent(fillOnReceive).upgrade(Version.parse(V3), fx.source, false))
        .hasMessageContaining("btrfs receive of v3.0.0 failed")
        .hasMessageContaining("staging was cleaned and the active version is untouched");

    assertThat(fx.deployment(V3)).doesNotExist();
    target.assertConverged(V2, OLD, V1, V2);
    assertThat(TargetInvariants.summary(target.auditFrom(mark)))
        .containsExactly("upgrade started", "upgrade failed");
  }

  @Test
  void spaceSetAsideIsTakenAgainOnceTheDiskHasRoom() throws Exception {
    fill(0);
    fx.agent().rollback(Optional.empty());
    assertThat(fx.layout().reserveFile()).doesNotExist();
    try (var files = Files.list(fx.target.root())) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith("fill-")).toList()) {
        Files.delete(file);
      }
    }
    new ProcessBuilder("sync", "-f", fx.target.root().toString()).start().waitFor();

    fx.agent().rollback(Optional.empty());

    assertThat(fx.layout().reserveFile()).isRegularFile();
    assertThat(Files.size(fx.layout().reserveFile())).isEqualTo(SpaceReserve.DEFAULT_BYTES);
    target.assertConverged(V2, OLD, V1, V2);
  }

  /**
   * Data btrfs cannot compress (random within 128 KiB) that zstd shrinks (repeats within its
   * window).
   */
  private void writeBulk(String name, int megabytes) throws IOException {
    byte[] block = new byte[1 << 20];
    new Random(7).nextBytes(block);
    try (OutputStream out = Files.newOutputStream(fx.releases.golden().resolve(name))) {
      for (int i = 0; i < megabytes; i++) {
        out.write(block);
      }
    }
  }
}
