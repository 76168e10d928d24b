package org.opdeploy.snapshot;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.opdeploy.btrfs.Btrfs;
import org.opdeploy.btrfs.SubvolumeInfo;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/**
 * {@code opdeploy snapshot VERSION}: freezes the golden as the read-only snapshot {@code
 * <pool>/@<name>-<VERSION>}. An existing version is refused, never replaced: a published release
 * must keep meaning the same bytes. Every check runs before anything changes.
 */
public final class SnapshotGoldenStep {
  private final PoolLayout layout;
  private final Btrfs btrfs;
  private final Version version;

  public SnapshotGoldenStep(PoolLayout layout, Btrfs btrfs, Version version) {
    this.layout = layout;
    this.btrfs = btrfs;
    this.version = version;
  }

  public SnapshotResult run() throws OpdeployException {
    btrfs.requireBtrfs(layout.pool(), "pool");
    Path target = layout.snapshot(version);
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new SnapshotExistsException(
          "snapshot "
              + target
              + " already exists and snapshots are"
              + " immutable: choose a new version (see `opdeploy list`)");
    }
    Path golden = layout.golden();
    if (!btrfs.isSubvolume(golden)) {
      throw new BadInputException(
          "golden subvolume " + golden + " is missing: run" + " `opdeploy golden refresh` first");
    }
    PrivatePool.restrict(layout, ProgressListener.NONE);
    btrfs.snapshot(golden, target, true);
    SubvolumeInfo info = btrfs.show(target);
    return new SnapshotResult(version, target, info.uuid());
  }
}
