package org.opdeploy.snapshot;

import org.opdeploy.btrfs.Btrfs;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;

/**
 * {@code opdeploy prune --keep N}: deletes the snapshots {@link PrunePlan} does not keep, oldest
 * first, with their recorded manifests. The golden is never touched.
 */
public final class PruneSnapshotsStep {
  private final PoolLayout layout;
  private final Btrfs btrfs;
  private final int keep;
  private final ProgressListener listener;

  public PruneSnapshotsStep(PoolLayout layout, Btrfs btrfs, int keep, ProgressListener listener) {
    this.layout = layout;
    this.btrfs = btrfs;
    this.keep = keep;
    this.listener = listener;
  }

  public PruneResult run() throws OpdeployException {
    if (keep < 1) {
      throw new BadInputException(
          "--keep must be at least 1 (was "
              + keep
              + "): the newest"
              + " snapshot is the parent of the next incremental");
    }
    SnapshotCatalog catalog = new SnapshotCatalog(layout, btrfs);
    SentManifests manifests = new SentManifests(layout);
    PrunePlan plan = PrunePlan.select(catalog.list(), keep, manifests.parentsByVersion());
    for (SnapshotEntry entry : plan.delete()) {
      btrfs.delete(entry.path());
      manifests.forget(entry.version());
      listener.info("deleted snapshot " + entry.path());
    }
    return new PruneResult(plan.keep(), plan.delete());
  }
}
