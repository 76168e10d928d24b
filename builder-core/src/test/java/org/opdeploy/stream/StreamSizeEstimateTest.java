package org.opdeploy.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.version.Version;

class StreamSizeEstimateTest {
  @TempDir Path dir;

  private static Manifest sent(long full, long incremental) {
    List<Manifest.Stream> streams =
        List.of(
            new Manifest.Stream(Manifest.Stream.FULL, null, "zstd", List.of(), full),
            new Manifest.Stream(
                Manifest.Stream.INCREMENTAL,
                new Manifest.Parent(v("v0.9.0"), "u"),
                "zstd",
                List.of(),
                incremental));
    return new Manifest(
        Manifest.FORMAT,
        "op-dbus",
        v("v1.0.0"),
        Instant.EPOCH,
        null,
        null,
        null,
        null,
        null,
        null,
        streams);
  }

  @Test
  void theParentsLastStreamsAreTheEstimates() throws Exception {
    Files.write(dir.resolve("big"), new byte[10_000]);
    Optional<Manifest> last = Optional.of(sent(5_000_000, 70_000));
    assertThat(StreamSizeEstimate.full(last, dir)).isEqualTo(5_000_000);
    assertThat(StreamSizeEstimate.incremental(last)).isEqualTo(70_000);
  }

  @Test
  void withoutAParentTheFullStreamIsEstimatedFromTheSnapshotsFileData() throws Exception {
    Files.write(
        Files.createDirectories(dir.resolve("usr/bin")).resolve("op-dbus"), new byte[12_345]);
    Files.write(dir.resolve("etc-hostname"), new byte[5]);
    Files.createSymbolicLink(dir.resolve("link"), dir.resolve("usr/bin/op-dbus"));
    assertThat(StreamSizeEstimate.full(Optional.empty(), dir)).isEqualTo(12_350);
    assertThat(StreamSizeEstimate.incremental(Optional.empty())).isEqualTo(-1);
  }

  @Test
  void anEmptyOrMissingSnapshotGivesNoEstimate() {
    assertThat(StreamSizeEstimate.fileData(dir)).isEqualTo(-1);
    assertThat(StreamSizeEstimate.fileData(dir.resolve("missing"))).isEqualTo(-1);
  }

  private static Version v(String text) {
    return Version.tryParse(text).orElseThrow();
  }
}
