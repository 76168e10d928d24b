package org.opdeploy.store;

import java.util.ArrayList;
import java.util.List;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/**
 * Deletes the nightly releases of a store beyond the newest {@code keep}, oldest first, and never a
 * stable release. A failure stops the prune: what was deleted before it stays deleted, and a re-run
 * carries on from there.
 */
public final class PruneReleasesStep {
  private final ReleaseStore store;
  private final int keep;
  private final ProgressListener progress;

  public PruneReleasesStep(ReleaseStore store, int keep, ProgressListener progress) {
    this.store = store;
    this.keep = keep;
    this.progress = progress;
  }

  /** The plan only: what {@link #run} would delete now. */
  public ReleasePrunePlan plan() throws OpdeployException {
    return ReleasePrunePlan.select(store.versions(), keep);
  }

  /** Deletes what {@link #plan} selects; returns the plan with {@code delete} as done. */
  public ReleasePrunePlan run() throws OpdeployException {
    ReleasePrunePlan plan = plan();
    List<Version> deleted = new ArrayList<>();
    for (Version version : plan.delete()) {
      store.delete(version);
      deleted.add(version);
      progress.info("deleted release " + version + " from " + store.describe());
    }
    return new ReleasePrunePlan(plan.keep(), deleted, plan.stable());
  }
}
