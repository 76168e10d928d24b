package org.opdeploy.store;

import java.util.ArrayList;
import java.util.List;
import org.opdeploy.version.Version;

/**
 * Which releases of a store a prune keeps and deletes: the newest {@code keep} nightlies stay,
 * older nightlies go, and a stable release (anything not {@code nightly-…}) is never touched. Both
 * lists are oldest first.
 */
public record ReleasePrunePlan(List<Version> keep, List<Version> delete, List<Version> stable) {

  public ReleasePrunePlan {
    keep = List.copyOf(keep);
    delete = List.copyOf(delete);
    stable = List.copyOf(stable);
  }

  /** The plan for the store's {@code versions} (in any order), keeping {@code keep} nightlies. */
  public static ReleasePrunePlan select(List<Version> versions, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1");
    }
    List<Version> nightlies = new ArrayList<>();
    List<Version> stable = new ArrayList<>();
    for (Version v : versions.stream().distinct().sorted().toList()) {
      (v.isNightly() ? nightlies : stable).add(v);
    }
    int cut = Math.max(0, nightlies.size() - keep);
    return new ReleasePrunePlan(
        nightlies.subList(cut, nightlies.size()), nightlies.subList(0, cut), stable);
  }
}
