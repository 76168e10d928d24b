package org.opdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.btrfs.BtrfsCli;
import org.opdeploy.deploy.layout.TargetLayout;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.hash.Sha256;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/**
 * Releases with a chunk index deploy by streaming: read once from the source, each chunk proven
 * before {@code btrfs receive} gets it, nothing written to the cache unless asked; a tampered chunk
 * stops the receive there, a dropped read resumes from the last proven chunk. Releases without the
 * index still deploy the old way.
 */
class StreamingDeployIT {
  private static final String STREAM = "op-dbus-v1.0.0.send.zst";
  private static final long CHUNK = 64 << 10;
  private static final List<String> INDEX =
      List.of(
          AssetNames.SHA256SUMS, AssetNames.SHA256SUMS_SIGNATURE, "op-dbus-v1.0.0.manifest.json");
  @TempDir Path tempDir;
  private TargetFixture fx;
  private Manifest manifest;

  @BeforeEach
  void setUp() throws Exception {
    fx = new TargetFixture(tempDir, 512);
    fx.releases.withChunkIndex(CHUNK);
    fx.releases.writePayload("v1.0.0", 0, 2 << 20); // random: about 32 chunks of zstd output
    manifest = fx.releases.release("v1.0.0", null, null, 0);
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  private Path storeStream() {
    return fx.releases.store().resolve("v1.0.0").resolve(STREAM);
  }

  private List<String> cached() throws Exception {
    Path cache = fx.layout().cache(Version.parse("v1.0.0"));
    if (!Files.isDirectory(cache)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(cache)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }

  @Test
  void deployFromADirectoryStoreStreamsAndCachesNothingOfTheStream() throws Exception {
    List<String> lines = Collections.synchronizedList(new ArrayList<>());

    fx.agent(lines(lines)).deploy(Version.parse("v1.0.0"), fx.source, false);

    assertThat(Files.readString(fx.deployment("v1.0.0").resolve("etc/op-dbus/version")))
        .isEqualTo("v1.0.0\n");
    assertThat(manifest.fullStream().orElseThrow().files().get(0).chunks()).hasSizeGreaterThan(10);
    assertThat(lines).anyMatch(l -> l.startsWith("streaming full stream of v1.0.0"));
    assertThat(cached()).as("only the signed index").containsExactlyInAnyOrderElementsOf(INDEX);
  }

  @Test
  void aTamperedChunkInTheMiddleIsRefusedAndNothingIsReceivedOrCached() throws Exception {
    long size = Files.size(storeStream());
    int k = (int) (size / CHUNK / 2);
    try (RandomAccessFile file = new RandomAccessFile(storeStream().toFile(), "rw")) {
      file.seek(k * CHUNK + 100);
      int b = file.read();
      file.seek(k * CHUNK + 100);
      file.write(b ^ 0x40);
    }

    for (TargetAgent agent : List.of(fx.agent(), fx.agent().withKeepCache(true))) {
      assertThatThrownBy(() -> agent.deploy(Version.parse("v1.0.0"), fx.faults, false))
          .isInstanceOfSatisfying(
              OpdeployException.class,
              e -> assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFICATION_FAILED))
          .hasMessageContaining("chunk " + k + " of " + STREAM)
          .hasMessageContaining("never reached btrfs receive");

      assertThat(fx.deployment("v1.0.0")).doesNotExist();
      assertThat(new BtrfsCli(new ProcessRunner()).list(fx.layout().deployments())).isEmpty();
      assertThat(fx.layout().staging()).isEmptyDirectory();
      assertThat(cached())
          .as("a refused release leaves nothing in the cache, also with --keep-cache")
          .isEmpty();
      assertThat(fx.agent().status().installed()).isEmpty();
    }
    assertThat(fx.faults.requests())
        .filteredOn(r -> r.asset().equals(STREAM))
        .extracting(FaultySource.Request::offset)
        .containsOnly(0L);
  }

  @Test
  void aDroppedConnectionResumesFromTheLastProvenChunk() throws Exception {
    long breakAt = 5 * CHUNK + 1234;
    fx.faults.breakOnce(STREAM, breakAt);

    fx.agent().deploy(Version.parse("v1.0.0"), fx.faults, false);

    assertThat(fx.faults.requests())
        .filteredOn(r -> r.asset().equals(STREAM))
        .extracting(FaultySource.Request::offset)
        .containsExactly(0L, 5 * CHUNK);
    assertThat(Files.readString(fx.deployment("v1.0.0").resolve("etc/op-dbus/version")))
        .isEqualTo("v1.0.0\n");
    assertThat(cached()).containsExactlyInAnyOrderElementsOf(INDEX);
  }

  @Test
  void keepCacheKeepsTheProvenStreamWhichALaterDeployUsesWithoutTheSource() throws Exception {
    fx.agent().withKeepCache(true).deploy(Version.parse("v1.0.0"), fx.faults, false);

    Path kept = fx.layout().cache(Version.parse("v1.0.0")).resolve(STREAM);
    assertThat(kept).exists();
    assertThat(Sha256.ofFile(kept))
        .isEqualTo(manifest.fullStream().orElseThrow().files().get(0).sha256());
    assertThat(cached()).doesNotContain(STREAM + TargetLayout.PARTIAL_SUFFIX);
  }

  @Test
  void aReleaseWithoutTheChunkIndexStillDeploysTheOldWay() throws Exception {
    fx.releases.withChunkIndex(0);
    fx.releases.writePayload("v2.0.0", 0, 256 << 10);
    Manifest old = fx.releases.release("v2.0.0", null, null, 0);
    List<String> lines = Collections.synchronizedList(new ArrayList<>());

    fx.agent(lines(lines)).deploy(Version.parse("v2.0.0"), fx.faults, false);

    assertThat(old.fullStream().orElseThrow().hasChunkIndex()).isFalse();
    assertThat(lines).anyMatch(l -> l.startsWith("fetched full stream of v2.0.0"));
    assertThat(Files.readString(fx.deployment("v2.0.0").resolve("etc/op-dbus/version")))
        .isEqualTo("v2.0.0\n");
  }

  private static ProgressListener lines(List<String> into) {
    return new ProgressListener() {
      @Override
      public void info(String line) {
        into.add(line);
      }

      @Override
      public void warn(String line) {
        into.add(line);
      }
    };
  }
}
