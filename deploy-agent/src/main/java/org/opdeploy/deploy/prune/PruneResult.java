package org.opdeploy.deploy.prune;

import java.util.List;
import java.util.Map;
import org.opdeploy.version.Version;

/** Versions removed, and versions kept with the reason each was kept. */
public record PruneResult(List<Version> removed, Map<Version, String> kept) {
  public PruneResult {
    removed = List.copyOf(removed);
    kept = Map.copyOf(kept);
  }
}
