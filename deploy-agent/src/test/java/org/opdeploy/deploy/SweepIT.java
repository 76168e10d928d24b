package org.opdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.btrfs.BtrfsCli;
import org.opdeploy.deploy.layout.TargetLayout;
import org.opdeploy.deploy.prune.PruneResult;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.version.Version;

/**
 * Leftovers of killed runs (made by hand here the way the kill leaves them; the kills themselves
 * are in {@link CrashPointsIT}) are removed by {@code target prune} and by the next mutating
 * command, and nothing else under the root changes. Baseline: v1.0.0 active, v2.0.0 deployed.
 */
class SweepIT {
  private static final String V1 = "v1.0.0";
  private static final String V2 = "v2.0.0";

  @TempDir Path tempDir;
  private TargetFixture fx;
  private TargetInvariants target;
  private final BtrfsCli btrfs = new BtrfsCli(new ProcessRunner());

  @BeforeEach
  void install() throws Exception {
    fx = new TargetFixture(tempDir, 512);
    target = new TargetInvariants(fx);
    fx.publish(V1, null);
    fx.publish(V2, V1);
    fx.agent().upgrade(Version.parse(V1), fx.source, false);
    fx.agent().deploy(Version.parse(V2), fx.source, false);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  /** Every path under the root, relative, without descending into deployments. */
  private Set<String> tree() throws Exception {
    Path root = fx.layout().root();
    try (Stream<Path> paths = Files.walk(root)) {
      Set<String> found = new TreeSet<>();
      paths
          .map(p -> root.relativize(p).toString())
          .filter(p -> !p.matches("deploy/@[^/]+/.+"))
          .forEach(found::add);
      return found;
    }
  }

  private Set<String> without(Set<String> tree, String... removed) {
    Set<String> expected = new TreeSet<>(tree);
    for (String path : removed) {
      expected.removeIf(p -> p.equals(path) || p.startsWith(path + "/"));
    }
    return expected;
  }

  /**
   * What an interrupted receive leaves: a journal marker and a writable subvolume with no received
   * uuid.
   */
  private void halfReceive(String version) throws Exception {
    Files.writeString(
        Files.createDirectories(fx.layout().staging()).resolve("@op-dbus-" + version), "uuid\n");
    btrfs.createSubvolume(fx.deployment(version));
    Files.writeString(fx.deployment(version).resolve("half-written"), "x");
  }

  @Test
  void targetPruneRemovesAHalfReceivedSubvolume() throws Exception {
    halfReceive("v3.0.0");
    Set<String> before = tree();

    PruneResult result = fx.agent().prune(5);

    assertThat(result.removed()).isEmpty();
    assertThat(target.subvolumes()).containsExactlyInAnyOrder(V1, V2);
    assertThat(tree())
        .isEqualTo(without(before, "deploy/@op-dbus-v3.0.0", "deploy/.staging/@op-dbus-v3.0.0"));
    target.assertConverged(V1, V1, V2);
  }

  @Test
  void theNextRunOfAnyCommandRemovesAHalfReceivedSubvolume() throws Exception {
    halfReceive("v3.0.0");

    fx.agent().activate(Version.parse(V2));

    target.assertConverged(V2, V1, V2);
  }

  @Test
  void cacheAndOverlayOfAVersionWhosePruneWasKilledAreRemoved() throws Exception {
    Path marker = Files.createDirectories(fx.layout().pruneJournal()).resolve("v0.5.0");
    Files.createFile(marker);
    Files.writeString(
        Files.createDirectories(fx.layout().cache(Version.parse("v0.5.0")))
            .resolve("op-dbus-v0.5.0.manifest.json"),
        "{}");
    Files.writeString(
        Files.createDirectories(fx.layout().overlayUpper(Version.parse("v0.5.0"))).resolve("x"),
        "x");
    Set<String> before = tree();

    fx.agent().recover();

    assertThat(tree())
        .isEqualTo(without(before, "cache/v0.5.0", "overlays/v0.5.0", "deploy/.pruning/v0.5.0"));
    target.assertConverged(V1, V1, V2);
  }

  @Test
  void aPruneMarkerWhoseDeploymentIsStillThereKeepsTheDeployment() throws Exception {
    Files.createFile(Files.createDirectories(fx.layout().pruneJournal()).resolve(V2));
    Set<String> before = tree();

    fx.agent().recover();

    assertThat(tree()).isEqualTo(without(before, "deploy/.pruning/" + V2));
    assertThat(fx.layout().cache(Version.parse(V2))).isDirectory();
    target.assertConverged(V1, V1, V2);
  }

  @Test
  void partialDownloadsOfVersionsNoLongerWantedAreRemovedAndOthersKept() throws Exception {
    partial(V2, "op-dbus-v2.0.0.send.zst.partial");
    partial("v0.5.0", "op-dbus-v0.5.0.send.zst.partial");
    partial("v9.0.0", "op-dbus-v9.0.0.send.zst.partial");
    partial("nightly-20260101", "op-dbus-nightly-20260101.send.zst.partial");
    Set<String> before = tree();

    fx.agent().activate(Version.parse(V1));

    assertThat(tree())
        .isEqualTo(
            without(
                before,
                "cache/v2.0.0/op-dbus-v2.0.0.send.zst.partial",
                "cache/v0.5.0/op-dbus-v0.5.0.send.zst.partial"));
    assertThat(fx.agent().status().pendingDownloads())
        .extracting(PendingDownloadVersion::of)
        .containsExactly("nightly-20260101", "v9.0.0");
  }

  @Test
  void thePartialDownloadOfTheVersionBeingDeployedIsKept() throws Exception {
    fx.publish("v0.5.0", null);
    String stream = "op-dbus-v0.5.0.send.zst";
    Path partial =
        Files.createDirectories(fx.layout().cache(Version.parse("v0.5.0")))
            .resolve(stream + TargetLayout.PARTIAL_SUFFIX);
    byte[] whole = Files.readAllBytes(fx.releases.store().resolve("v0.5.0").resolve(stream));
    Files.write(partial, java.util.Arrays.copyOf(whole, 1000));

    fx.agent().fetch(Version.parse("v0.5.0"), fx.faults, true);

    assertThat(fx.faults.requests())
        .filteredOn(r -> r.asset().equals(stream))
        .extracting(FaultySource.Request::offset)
        .as("resumed after the bytes kept")
        .containsExactly(1000L);
  }

  @Test
  void orphanOverlaysAreRemovedAndTheActiveOneKept() throws Exception {
    Files.writeString(
        Files.createDirectories(fx.layout().overlayUpper(Version.parse("v7.0.0"))).resolve("x"),
        "x");
    Set<String> before = tree();

    fx.agent().recover();

    assertThat(tree()).isEqualTo(without(before, "overlays/v7.0.0"));
    assertThat(fx.layout().overlayUpper(Version.parse(V1))).isDirectory();
  }

  @Test
  void temporaryFilesOfCutShortWritesAreRemovedAndTheStateIsIntact() throws Exception {
    String state = Files.readString(fx.layout().stateFile());
    Files.writeString(fx.layout().root().resolve("state.json.tmp"), "{\"format\": 1, \"act");
    Files.writeString(fx.layout().root().resolve("switch.json.tmp"), "{");
    Files.writeString(fx.layout().root().resolve(".reserve.tmp"), "partial reserve");
    Files.createSymbolicLink(
        fx.layout().root().resolve(".current.new"), Path.of("deploy/@op-dbus-v2.0.0"));
    Set<String> before = tree();

    fx.agent().recover();

    assertThat(tree())
        .isEqualTo(
            without(before, "state.json.tmp", "switch.json.tmp", ".reserve.tmp", ".current.new"));
    assertThat(Files.readString(fx.layout().stateFile())).isEqualTo(state);
    target.assertConverged(V1, V1, V2);
  }

  private void partial(String version, String name) throws Exception {
    Files.writeString(
        Files.createDirectories(fx.layout().cache(Version.parse(version))).resolve(name), "bytes");
  }

  /** The version of a pending download, as text. */
  private static final class PendingDownloadVersion {
    static String of(org.opdeploy.deploy.status.PendingDownload download) {
      return download.version();
    }
  }
}
