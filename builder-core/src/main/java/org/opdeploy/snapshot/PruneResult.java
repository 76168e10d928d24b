package org.opdeploy.snapshot;

import java.util.List;

/** What {@code prune} kept and deleted, oldest first. */
public record PruneResult(List<SnapshotEntry> kept, List<SnapshotEntry> deleted) {
  public PruneResult {
    kept = List.copyOf(kept);
    deleted = List.copyOf(deleted);
  }
}
