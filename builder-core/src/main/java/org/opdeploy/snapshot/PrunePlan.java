package org.opdeploy.snapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opdeploy.version.Version;

/**
 * Which snapshots {@code prune --keep N} keeps and deletes: the newest N by version precedence,
 * plus every snapshot that a kept version's incremental stream was computed against (so the release
 * can be re-sent and the parent stays available to targets upgrading from it). Both lists are
 * oldest first.
 */
public record PrunePlan(List<SnapshotEntry> keep, List<SnapshotEntry> delete) {

  public PrunePlan {
    keep = List.copyOf(keep);
    delete = List.copyOf(delete);
  }

  /**
   * Plans a prune of {@code snapshots}; {@code parentsByVersion} maps each sent version to the
   * parents of its incrementals.
   */
  public static PrunePlan select(
      List<SnapshotEntry> snapshots, int keepNewest, Map<Version, List<Version>> parentsByVersion) {
    List<SnapshotEntry> newestFirst = new ArrayList<>(snapshots);
    newestFirst.sort(Comparator.comparing(SnapshotEntry::version).reversed());
    Set<Version> kept = new HashSet<>();
    for (SnapshotEntry entry : newestFirst.subList(0, Math.min(keepNewest, newestFirst.size()))) {
      kept.add(entry.version());
      kept.addAll(parentsByVersion.getOrDefault(entry.version(), List.of()));
    }
    List<SnapshotEntry> keep = new ArrayList<>();
    List<SnapshotEntry> delete = new ArrayList<>();
    List<SnapshotEntry> oldestFirst = new ArrayList<>(newestFirst);
    java.util.Collections.reverse(oldestFirst);
    for (SnapshotEntry entry : oldestFirst) {
      (kept.contains(entry.version()) ? keep : delete).add(entry);
    }
    return new PrunePlan(keep, delete);
  }
}
