package org.opdeploy.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.btrfs.Btrfs;
import org.opdeploy.btrfs.BtrfsCli;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.stream.ParentSelection;
import org.opdeploy.stream.ReleaseContext;
import org.opdeploy.stream.SendSettings;
import org.opdeploy.stream.SendStreamStep;
import org.opdeploy.testing.TemporaryBtrfs;
import org.opdeploy.version.Version;

/** Snapshot, list and prune on a real loop-backed pool. */
class SnapshotStepsIT {
  @TempDir Path temp;
  private final Btrfs btrfs = new BtrfsCli(new ProcessRunner());
  private TemporaryBtrfs pool;
  private PoolLayout layout;

  @BeforeEach
  void createPool() throws Exception {
    pool = TemporaryBtrfs.create(temp, "pool", 256);
    layout = new PoolLayout(pool.root(), "op-dbus");
  }

  @AfterEach
  void removePool() {
    pool.close();
  }

  @Test
  void snapshotIsAReadOnlyCopyOfTheGoldenListedByVersionPrecedence() throws Exception {
    golden("first");
    snapshot("v1.10.0");
    Files.writeString(layout.golden().resolve("file"), "second");
    SnapshotResult result = snapshot("v1.9.0");

    assertThat(Files.readString(result.path().resolve("file"))).isEqualTo("second");
    assertThat(btrfs.isReadOnly(result.path())).isTrue();
    assertThat(result.uuid()).isEqualTo(btrfs.show(result.path()).uuid());
    List<SnapshotEntry> listed = new SnapshotCatalog(layout, btrfs).list();
    assertThat(listed).extracting(e -> e.version().toString()).containsExactly("v1.9.0", "v1.10.0");
    assertThat(listed).allMatch(SnapshotEntry::readOnly);
    assertThat(listed.get(0))
        .isEqualTo(new SnapshotEntry(v("v1.9.0"), result.path(), result.uuid(), true));
  }

  @Test
  void existingVersionIsRefusedAndLeftUnchanged() throws Exception {
    golden("first");
    SnapshotResult first = snapshot("v1.0.0");
    Files.writeString(layout.golden().resolve("file"), "changed");

    assertThatThrownBy(() -> snapshot("v1.0.0"))
        .isInstanceOf(SnapshotExistsException.class)
        .hasMessageContaining("already exists and snapshots are immutable")
        .satisfies(
            e -> assertThat(((OpdeployException) e).exitCode()).isEqualTo(ExitCode.BAD_INPUT));
    assertThat(Files.readString(first.path().resolve("file"))).isEqualTo("first");
    assertThat(btrfs.show(first.path()).uuid()).isEqualTo(first.uuid());
  }

  @Test
  void missingGoldenIsBadInputAndCreatesNothing() throws Exception {
    assertThatThrownBy(() -> snapshot("v1.0.0"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("run `opdeploy golden refresh` first");
    assertThat(layout.snapshot(v("v1.0.0"))).doesNotExist();
  }

  @Test
  void poolThatIsNotBtrfsIsBadInput() throws Exception {
    Path plain = Files.createDirectories(temp.resolve("plain"));
    PoolLayout elsewhere = new PoolLayout(plain, "op-dbus");
    if (Files.getFileStore(plain).type().equals("btrfs")) {
      throw new AssertionError("the test's temporary folder must not be on btrfs");
    }

    assertThatThrownBy(() -> new SnapshotGoldenStep(elsewhere, btrfs, v("v1.0.0")).run())
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("not btrfs");
    assertThatThrownBy(() -> new SnapshotCatalog(elsewhere, btrfs).list())
        .isInstanceOf(BadInputException.class);
  }

  @Test
  void pruneKeepsTheNewestAndTheParentOfItsSentIncrementalButNeverTheGolden() throws Exception {
    golden("content");
    for (String version : List.of("v1.0.0", "v1.1.0", "v1.2.0", "v1.3.0")) {
      snapshot(version);
    }
    btrfs.createSubvolume(layout.pool().resolve("@op-dbus-scratch"));
    new SendStreamStep(
            layout,
            btrfs,
            SendSettings.of(v("v1.3.0"), temp.resolve("out"))
                .withParent(ParentSelection.parse("v1.1.0")),
            ReleaseContext.NONE,
            ProgressListener.NONE)
        .run();
    new SendStreamStep(
            layout,
            btrfs,
            SendSettings.of(v("v1.2.0"), temp.resolve("out2")),
            ReleaseContext.NONE,
            ProgressListener.NONE)
        .run();

    PruneResult result = new PruneSnapshotsStep(layout, btrfs, 1, ProgressListener.NONE).run();

    assertThat(result.kept())
        .extracting(e -> e.version().toString())
        .containsExactly("v1.1.0", "v1.3.0");
    assertThat(result.deleted())
        .extracting(e -> e.version().toString())
        .containsExactly("v1.0.0", "v1.2.0");
    assertThat(layout.snapshot(v("v1.0.0"))).doesNotExist();
    assertThat(layout.snapshot(v("v1.2.0"))).doesNotExist();
    assertThat(layout.golden()).exists();
    assertThat(layout.pool().resolve("@op-dbus-scratch")).exists();
    assertThat(new SentManifests(layout).parentsByVersion()).containsOnlyKeys(v("v1.3.0"));
  }

  @Test
  void pruneRefusesToKeepNothing() throws Exception {
    golden("content");
    snapshot("v1.0.0");

    assertThatThrownBy(() -> new PruneSnapshotsStep(layout, btrfs, 0, ProgressListener.NONE).run())
        .isInstanceOf(BadInputException.class);
    assertThat(layout.snapshot(v("v1.0.0"))).exists();
  }

  private void golden(String content) throws Exception {
    btrfs.createSubvolume(layout.golden());
    Files.writeString(layout.golden().resolve("file"), content);
  }

  private SnapshotResult snapshot(String version) throws OpdeployException {
    return new SnapshotGoldenStep(layout, btrfs, v(version)).run();
  }

  private static Version v(String text) throws BadInputException {
    return Version.parse(text);
  }
}
