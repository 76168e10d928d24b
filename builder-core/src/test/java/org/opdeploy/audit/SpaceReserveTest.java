package org.opdeploy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.version.Version;

class SpaceReserveTest {
  @TempDir Path dir;

  @Test
  void restoreSetsAsideIncompressibleBytesOfTheReservedSize() throws Exception {
    SpaceReserve reserve = new SpaceReserve(dir.resolve(".reserve"), 3_000_000);

    assertThat(reserve.restore()).isTrue();

    byte[] bytes = Files.readAllBytes(reserve.file());
    assertThat(bytes).hasSize(3_000_000);
    assertThat(java.util.stream.IntStream.range(0, 4096).map(i -> bytes[i]).distinct().count())
        .as("random, so that a compressing mount keeps it whole")
        .isGreaterThan(200);
    assertThat(dir.resolve(".reserve.tmp")).doesNotExist();
  }

  @Test
  void theReserveIsKeptWhileTheFilesystemHasRoom() throws Exception {
    SpaceReserve reserve = new SpaceReserve(dir.resolve(".reserve"), 1 << 20);
    reserve.restore();

    assertThat(reserve.releaseIfLow()).isZero();
    assertThat(reserve.present()).isTrue();
  }

  @Test
  void aReserveLargerThanTheFreeSpaceIsNeverMadeAndAlwaysGivenBack() throws Exception {
    long huge = SpaceReserve.freeBytes(dir) + (1L << 40);
    SpaceReserve reserve = new SpaceReserve(dir.resolve(".reserve"), huge);
    assertThat(reserve.restore()).as("never takes the last space").isFalse();
    assertThat(dir.resolve(".reserve")).doesNotExist();

    Files.write(dir.resolve(".reserve"), new byte[1000]);
    assertThat(reserve.releaseIfLow()).isEqualTo(1000);
    assertThat(reserve.present()).isFalse();
  }

  @Test
  void aRunLeavesAStartAndAnEndEntryAndAFailureSaysWhy() throws Exception {
    AuditLog log = new AuditLog(dir.resolve("audit.log"));
    AuditedRun run = new AuditedRun(dir.resolve("lock"), log, java.time.Duration.ZERO);

    run.locked("snapshot", Version.parse("v1.0.0"), () -> null);
    try {
      run.locked(
          "send",
          Version.parse("v1.0.0"),
          () -> {
            throw new OpdeployException("disk on fire");
          });
    } catch (OpdeployException expected) {
      // audited below
    }

    var lines = Files.readAllLines(log.file());
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).contains("\"command\":\"snapshot\"", "\"result\":\"started\"");
    assertThat(lines.get(1)).contains("\"result\":\"ok\"");
    assertThat(lines.get(2)).contains("\"command\":\"send\"", "\"result\":\"started\"");
    assertThat(lines.get(3))
        .contains("\"result\":\"failed\"", "\"exit\":\"1\"", "\"error\":\"disk on fire\"");
    assertThat(log.verify()).isEqualTo(4);
  }

  @Test
  void withoutTheReserveARunHoldsSpaceBackForItsEndEntryWhileItWorks() throws Exception {
    SpaceReserve reserve = new SpaceReserve(dir.resolve(".reserve"), 1 << 20);
    Path endEntry = dir.resolve(".reserve.end");
    AuditedRun run =
        new AuditedRun(
            dir.resolve("lock"),
            new AuditLog(dir.resolve("audit.log")),
            java.time.Duration.ZERO,
            reserve,
            org.opdeploy.progress.ProgressListener.NONE);

    long heldDuringTheWork =
        run.locked("golden refresh", null, () -> reserve.endEntry().file().toFile().length());

    assertThat(heldDuringTheWork).isEqualTo(SpaceReserve.END_ENTRY_BYTES);
    assertThat(endEntry).as("given back for the end entry").doesNotExist();
    assertThat(reserve.present()).as("the main reserve set aside again").isTrue();

    Files.write(endEntry, new byte[10]); // what a killed run leaves
    assertThat(run.locked("snapshot", Version.parse("v1.0.0"), () -> Files.exists(endEntry)))
        .as("with the main reserve in place, a stale end-entry reserve is removed")
        .isFalse();
  }
}
