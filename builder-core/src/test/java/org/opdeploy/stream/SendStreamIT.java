package org.opdeploy.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.btrfs.Btrfs;
import org.opdeploy.btrfs.BtrfsCli;
import org.opdeploy.btrfs.SendProtocol;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.Compression;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.manifest.ManifestCodec;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;
import org.opdeploy.progress.ProgressEvent;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.snapshot.PoolLayout;
import org.opdeploy.snapshot.SnapshotGoldenStep;
import org.opdeploy.snapshot.SnapshotResult;
import org.opdeploy.testing.BullseyeBtrfs;
import org.opdeploy.testing.HostRequirements;
import org.opdeploy.testing.TemporaryBtrfs;
import org.opdeploy.version.Version;

/** Sends from a real pool and checks the result with plain btrfs receive, zstd and sha256sum. */
class SendStreamIT {
  @TempDir Path temp;
  private final ProcessRunner runner = new ProcessRunner();
  private final Btrfs btrfs = new BtrfsCli(runner);
  private final GoldenTree tree = new GoldenTree();
  private final List<ProgressEvent> events = new ArrayList<>();
  private TemporaryBtrfs pool;
  private PoolLayout layout;

  @BeforeEach
  void createPool() throws Exception {
    HostRequirements.requireProgram("zstd", "zstd");
    HostRequirements.requireProgram("sha256sum", "coreutils");
    pool = TemporaryBtrfs.create(temp, "pool", 512);
    layout = new PoolLayout(pool.root(), "op-dbus");
    btrfs.createSubvolume(layout.golden());
    tree.populate(layout.golden(), 3 << 20);
  }

  @AfterEach
  void removePool() {
    pool.close();
  }

  @Test
  void fullAndIncrementalStreamsReproduceBothVersionsThroughPlainBtrfsReceive() throws Exception {
    SnapshotResult first = snapshot("v1.0.0");
    tree.change(layout.golden());
    SnapshotResult second = snapshot("v1.1.0");
    Path out1 = temp.resolve("out1");
    Path out2 = temp.resolve("out2");
    SendResult full = send(SendSettings.of(v("v1.0.0"), out1));
    SendResult both = send(SendSettings.of(v("v1.1.0"), out2));

    Manifest manifest = both.manifest();
    assertThat(manifest.streams())
        .extracting(Manifest.Stream::kind)
        .containsExactly("full", "incremental");
    Manifest.Stream incremental = manifest.incrementalFrom(v("v1.0.0")).orElseThrow();
    assertThat(incremental.parent().uuid()).isEqualTo(first.uuid());
    assertThat(manifest.subvolume().uuid()).isEqualTo(second.uuid());
    assertThat(manifest.btrfs().sendProtocol()).isEqualTo(1);
    assertThat(full.manifest().streams()).hasSize(1);

    try (TemporaryBtrfs target = TemporaryBtrfs.create(temp, "target", 512)) {
      receive(target.root(), files(out1, full.manifest().fullStream().orElseThrow()));
      Path received1 = target.root().resolve("@op-dbus-v1.0.0");
      assertThat(TreeListing.of(received1)).isEqualTo(TreeListing.of(first.path()));
      assertThat(btrfs.show(received1).receivedUuid()).isEqualTo(first.uuid());

      receive(target.root(), files(out2, incremental));
      Path received2 = target.root().resolve("@op-dbus-v1.1.0");
      // btrfs send parks new inodes as orphans in the subvolume root before renaming them into
      // place, and sends no utimes for an unchanged root: its mtime is receive time on targets.
      assertThat(withoutRootMtime(TreeListing.of(received2)))
          .isEqualTo(withoutRootMtime(TreeListing.of(second.path())));
      assertThat(TreeListing.of(received2)).isNotEqualTo(TreeListing.of(received1));
    }
    try (TemporaryBtrfs target = TemporaryBtrfs.create(temp, "target", 512)) {
      receive(target.root(), files(out2, manifest.fullStream().orElseThrow()));
      assertThat(TreeListing.of(target.root().resolve("@op-dbus-v1.1.0")))
          .isEqualTo(TreeListing.of(second.path()));
    }
  }

  @Test
  void defaultStreamsAreProtocolOneAndDebian11sBtrfsReceivesThem() throws Exception {
    Path bullseye = BullseyeBtrfs.path();
    SnapshotResult first = snapshot("v1.0.0");
    tree.change(layout.golden());
    SnapshotResult second = snapshot("v1.1.0");
    Path out1 = temp.resolve("out1");
    Path out2 = temp.resolve("out2");
    SendResult full = send(SendSettings.of(v("v1.0.0"), out1).withCompression(Compression.NONE));
    SendResult both = send(SendSettings.of(v("v1.1.0"), out2).withCompression(Compression.NONE));

    assertThat(both.manifest().btrfs()).isEqualTo(new Manifest.BtrfsInfo(1, false));
    Path fullStream = out1.resolve("op-dbus-v1.0.0.send");
    assertThat(streamVersion(fullStream)).isEqualTo(1);
    try (TemporaryBtrfs target = TemporaryBtrfs.create(temp, "target", 512)) {
      runner.run(
          bullseye.toString(), "receive", "-f", fullStream.toString(), target.root().toString());
      runner.run(
          bullseye.toString(),
          "receive",
          "-f",
          out2.resolve(
                  both.manifest().incrementalFrom(v("v1.0.0")).orElseThrow().files().get(0).name())
              .toString(),
          target.root().toString());
      assertThat(TreeListing.of(target.root().resolve("@op-dbus-v1.0.0")))
          .isEqualTo(TreeListing.of(first.path()));
      assertThat(withoutRootMtime(TreeListing.of(target.root().resolve("@op-dbus-v1.1.0"))))
          .isEqualTo(withoutRootMtime(TreeListing.of(second.path())));
    }
    assertThat(full.manifest().btrfs().sendProtocol()).isEqualTo(1);
  }

  @Test
  void protocolTwoWithCompressedDataIsRecordedAndIsWhatDebian11sBtrfsCannotReceive()
      throws Exception {
    Path bullseye = BullseyeBtrfs.path();
    snapshot("v1.0.0");
    Path out = temp.resolve("out");
    SendResult result =
        send(
            SendSettings.of(v("v1.0.0"), out)
                .withCompression(Compression.NONE)
                .withProtocol(new SendProtocol(2, true)));

    assertThat(result.manifest().btrfs()).isEqualTo(new Manifest.BtrfsInfo(2, true));
    Path stream = out.resolve("op-dbus-v1.0.0.send");
    assertThat(streamVersion(stream)).isEqualTo(2);
    try (TemporaryBtrfs target = TemporaryBtrfs.create(temp, "target", 512)) {
      var refused =
          runner.runAllowingFailure(
              ProcessSpec.of(
                  bullseye.toString(),
                  "receive",
                  "-f",
                  stream.toString(),
                  target.root().toString()));
      assertThat(refused.exitCode()).isNotZero();
      assertThat(refused.stderrTail()).contains("stream version 2 not supported");
    }
  }

  /** The version field of a btrfs send stream: after the 13-byte magic, little-endian u32. */
  private static int streamVersion(Path stream) throws IOException {
    byte[] head = new byte[17];
    try (var in = Files.newInputStream(stream)) {
      assertThat(in.readNBytes(head, 0, 17)).isEqualTo(17);
    }
    assertThat(new String(head, 0, 12, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("btrfs-stream");
    return java.nio.ByteBuffer.wrap(head, 13, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
  }

  @Test
  void outputFolderHoldsExactlyTheDesignedAssetsAndSha256sumAcceptsThem() throws Exception {
    snapshot("v1.0.0");
    snapshot("v1.1.0");
    Path out = temp.resolve("out");
    SendResult result = send(SendSettings.of(v("v1.1.0"), out));

    assertThat(names(out))
        .containsExactly(
            "SHA256SUMS",
            "op-dbus-v1.1.0-from-v1.0.0.send.zst",
            "op-dbus-v1.1.0-from-v1.0.0.send.zst.sha256",
            "op-dbus-v1.1.0.manifest.json",
            "op-dbus-v1.1.0.send.zst",
            "op-dbus-v1.1.0.send.zst.sha256");
    assertThat(result.files()).last().isEqualTo(out.resolve("SHA256SUMS"));
    sha256sumCheck(out, "SHA256SUMS");
    sha256sumCheck(out, "op-dbus-v1.1.0.send.zst.sha256");
    assertThat(Files.readString(out.resolve("SHA256SUMS")).lines().map(l -> l.substring(66)))
        .hasSize(5)
        .isSorted()
        .doesNotContain("SHA256SUMS");
    Manifest onDisk = ManifestCodec.decode(Files.readAllBytes(result.manifestFile()), "manifest");
    assertThat(onDisk).isEqualTo(result.manifest());
    for (Manifest.Stream stream : onDisk.streams()) {
      for (Manifest.StreamFile file : stream.files()) {
        assertThat(Files.size(out.resolve(file.name()))).isEqualTo(file.size());
      }
    }
    assertThat(events).anyMatch(ProgressEvent::finished);
  }

  @Test
  void smallMaxAssetBytesSplitsIntoPartsThatConcatenateBackIntoTheStream() throws Exception {
    SnapshotResult snapshot = snapshot("v2.0.0");
    Path out = temp.resolve("out");
    SendResult result =
        send(
            SendSettings.of(v("v2.0.0"), out)
                .withParent(ParentSelection.NONE)
                .withMaxAssetBytes(256 * 1024));

    Manifest.Stream stream = result.manifest().fullStream().orElseThrow();
    assertThat(stream.files()).hasSizeGreaterThan(3);
    assertThat(stream.files())
        .extracting(Manifest.StreamFile::name)
        .startsWith("op-dbus-v2.0.0.send.zst.part000", "op-dbus-v2.0.0.send.zst.part001")
        .allMatch(name -> Files.exists(out.resolve(name + ".sha256")));
    assertThat(stream.files()).allMatch(f -> f.size() <= 256 * 1024);
    // Each part has its own chunk index from the part's start: one chunk each, as parts are small
    // here.
    assertThat(stream.files())
        .allSatisfy(
            f -> {
              assertThat(f.chunkSize()).isEqualTo(org.opdeploy.manifest.ChunkIndex.CHUNK_BYTES);
              assertThat(f.chunks()).containsExactly(f.sha256());
            });
    assertThat(result.sha256s())
        .containsEntry(stream.files().get(0).name(), stream.files().get(0).sha256())
        .containsKey("op-dbus-v2.0.0.manifest.json");
    assertThat(out.resolve("op-dbus-v2.0.0.send.zst")).doesNotExist();
    sha256sumCheck(out, "SHA256SUMS");
    try (TemporaryBtrfs target = TemporaryBtrfs.create(temp, "target", 512)) {
      receive(target.root(), files(out, stream));
      assertThat(TreeListing.of(target.root().resolve("@op-dbus-v2.0.0")))
          .isEqualTo(TreeListing.of(snapshot.path()));
    }
  }

  @Test
  void uncompressedStreamIsReceivedAsIs() throws Exception {
    SnapshotResult snapshot = snapshot("v1.0.0");
    Path out = temp.resolve("out");
    SendResult result = send(SendSettings.of(v("v1.0.0"), out).withCompression(Compression.NONE));

    Manifest.Stream stream = result.manifest().fullStream().orElseThrow();
    assertThat(stream.compression()).isEqualTo("none");
    assertThat(stream.files())
        .extracting(Manifest.StreamFile::name)
        .containsExactly("op-dbus-v1.0.0.send");
    assertThat(stream.files().get(0).size()).isEqualTo(stream.streamSize());
    try (TemporaryBtrfs target = TemporaryBtrfs.create(temp, "target", 512)) {
      runner.run(
          ProcessSpec.of(
              "btrfs",
              "receive",
              "-f",
              out.resolve("op-dbus-v1.0.0.send").toString(),
              target.root().toString()));
      assertThat(TreeListing.of(target.root().resolve("@op-dbus-v1.0.0")))
          .isEqualTo(TreeListing.of(snapshot.path()));
    }
  }

  @Test
  void outputFolderFillingUpMidSendLeavesNoFinishedLookingFiles() throws Exception {
    snapshot("v1.0.0");
    Path out = Files.createDirectories(temp.resolve("small"));
    runner.run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", out.toString());
    try {
      assertThatThrownBy(() -> send(SendSettings.of(v("v1.0.0"), out)))
          .isInstanceOf(OpdeployException.class)
          .hasMessageContaining("No space left on device")
          .hasMessageContaining("choose another --out")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"))
          .satisfies(
              e -> assertThat(((OpdeployException) e).exitCode()).isEqualTo(ExitCode.FAILED));
      assertThat(names(out)).isEmpty();
    } finally {
      runner.run("umount", out.toString());
    }
    assertThat(layout.stateDirectory().resolve("manifests")).doesNotExist();
  }

  @Test
  void parentThatIsNotASnapshotIsRefusedBeforeAnythingIsWritten() throws Exception {
    snapshot("v1.0.0");
    snapshot("v1.1.0");
    Path out = temp.resolve("out");

    assertThatThrownBy(
            () ->
                send(SendSettings.of(v("v1.1.0"), out).withParent(ParentSelection.parse("v0.9.0"))))
        .isInstanceOf(ParentNotFoundException.class)
        .hasMessageContaining("parent v0.9.0 has no snapshot");
    btrfs.setReadOnly(layout.snapshot(v("v1.0.0")), false);
    assertThatThrownBy(
            () ->
                send(SendSettings.of(v("v1.1.0"), out).withParent(ParentSelection.parse("v1.0.0"))))
        .isInstanceOf(ParentNotFoundException.class)
        .hasMessageContaining("is not read-only")
        .satisfies(
            e -> assertThat(((OpdeployException) e).exitCode()).isEqualTo(ExitCode.BAD_INPUT));
    assertThat(out).doesNotExist();
  }

  @Test
  void autoParentSkipsASnapshotThatIsNoLongerReadOnly() throws Exception {
    snapshot("v1.0.0");
    snapshot("v1.1.0");
    snapshot("v1.2.0");
    btrfs.setReadOnly(layout.snapshot(v("v1.1.0")), false);

    SendResult result = send(SendSettings.of(v("v1.2.0"), temp.resolve("out")));

    assertThat(result.manifest().incrementalFrom(v("v1.0.0"))).isPresent();
  }

  @Test
  void versionWithoutSnapshotAndFolderWithEarlierAssetsAreRefused() throws Exception {
    assertThatThrownBy(() -> send(SendSettings.of(v("v1.0.0"), temp.resolve("out"))))
        .hasMessageContaining("run `opdeploy snapshot v1.0.0` first");
    snapshot("v1.0.0");
    Path out = Files.createDirectories(temp.resolve("used"));
    Files.writeString(out.resolve("SHA256SUMS"), "");
    assertThatThrownBy(() -> send(SendSettings.of(v("v1.0.0"), out)))
        .satisfies(
            e -> assertThat(((OpdeployException) e).exitCode()).isEqualTo(ExitCode.BAD_INPUT))
        .hasMessageContaining("already holds SHA256SUMS");
    assertThat(names(out)).containsExactly("SHA256SUMS");
  }

  @Test
  void manifestCarriesTheCallersReleaseContext() throws Exception {
    snapshot("v1.0.0");
    ReleaseContext context =
        new ReleaseContext(
            "op-dbus.service",
            new Manifest.Health("/usr/local/bin/op-dbus query", 30),
            "ab".repeat(32),
            "c0ffee",
            "v1.0.0",
            Instant.parse("2030-01-01T00:00:00Z"));
    SendResult result =
        new SendStreamStep(
                layout,
                btrfs,
                SendSettings.of(v("v1.0.0"), temp.resolve("out")),
                context,
                ProgressListener.NONE)
            .run();

    Manifest manifest = result.manifest();
    assertThat(manifest.service()).isEqualTo("op-dbus.service");
    assertThat(manifest.health().timeoutSeconds()).isEqualTo(30);
    assertThat(manifest.source())
        .isEqualTo(new Manifest.Source("c0ffee", "v1.0.0", "ab".repeat(32)));
    assertThat(manifest.expires()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(manifest.name()).isEqualTo("op-dbus");
    assertThat(manifest.version()).hasToString("v1.0.0");
  }

  private SnapshotResult snapshot(String version) throws Exception {
    return new SnapshotGoldenStep(layout, btrfs, v(version)).run();
  }

  private SendResult send(SendSettings settings) throws OpdeployException {
    ProgressListener listener =
        new ProgressListener() {
          @Override
          public synchronized void progress(ProgressEvent event) {
            events.add(event);
          }
        };
    return new SendStreamStep(layout, btrfs, settings.withWorkers(2), ReleaseContext.NONE, listener)
        .run();
  }

  /** Plain tools only: cat the parts in order, zstd -d, btrfs receive. */
  private void receive(Path destination, List<Path> parts) throws OpdeployException {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "bash",
                "-o",
                "pipefail",
                "-c",
                "dest=$1; shift; cat \"$@\" | zstd -d -q | btrfs receive \"$dest\"",
                "receive",
                destination.toString()));
    parts.forEach(p -> argv.add(p.toString()));
    runner.run(ProcessSpec.of(argv));
  }

  private static List<String> withoutRootMtime(List<String> listing) {
    List<String> lines = new ArrayList<>(listing);
    lines.set(0, lines.get(0).replaceFirst(" mtime=\\S+", ""));
    return lines;
  }

  private static List<Path> files(Path dir, Manifest.Stream stream) {
    return stream.files().stream().map(f -> dir.resolve(f.name())).toList();
  }

  private void sha256sumCheck(Path dir, String file) throws OpdeployException {
    runner.run(ProcessSpec.of("sha256sum", "--strict", "-c", file).withWorkingDirectory(dir));
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static Version v(String text) throws OpdeployException {
    return Version.parse(text);
  }
}
