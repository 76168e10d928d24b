package org.opdeploy.deploy.prune;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opdeploy.btrfs.Btrfs;
import org.opdeploy.deploy.inventory.Deployment;
import org.opdeploy.deploy.inventory.DeploymentInventory;
import org.opdeploy.deploy.layout.TargetLayout;
import org.opdeploy.deploy.state.CrashPoint;
import org.opdeploy.deploy.state.StateFile;
import org.opdeploy.deploy.state.TargetState;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.io.FileTrees;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/**
 * {@code target prune --keep N}: removes deployments beyond the N newest, with their cache and
 * overlay folders. Never removes the active, previous or last-known-good version, nor the newest
 * deployment of each track (tagged, nightly): the next release's incremental stream is made against
 * the newest release, so that deployment is the parent the next upgrade needs.
 */
public final class PruneDeploymentsStep {
  private final Btrfs btrfs;
  private final TargetLayout layout;
  private final DeploymentInventory inventory;
  private final StateFile state;
  private final ProgressListener progress;

  public PruneDeploymentsStep(
      Btrfs btrfs,
      TargetLayout layout,
      DeploymentInventory inventory,
      StateFile state,
      ProgressListener progress) {
    this.btrfs = btrfs;
    this.layout = layout;
    this.inventory = inventory;
    this.state = state;
    this.progress = progress;
  }

  public PruneResult run(int keep) throws OpdeployException {
    PruneResult plan = plan(keep);
    for (Version version : plan.removed()) {
      Path deployment = inventory.locate(version).orElseThrow();
      progress.info("removing " + deployment);
      // The journal marker makes a prune killed between the three removals finish on the next run
      // (SweepLeftoversStep): without it, cache/V and overlays/V would outlive their deployment.
      Path marker = mark(version);
      CrashPoint.reached("prune-marked");
      btrfs.delete(deployment);
      CrashPoint.reached("prune-deployment-deleted");
      FileTrees.deleteTree(layout.cache(version));
      FileTrees.deleteTree(layout.overlay(version));
      unmark(marker);
    }
    return plan;
  }

  /** What {@link #run} would remove and keep (and why), removing nothing ({@code --dry-run}). */
  public PruneResult plan(int keep) throws OpdeployException {
    if (keep < 1) {
      throw new BadInputException("--keep must be at least 1, got " + keep);
    }
    TargetState current = state.read();
    List<Deployment> newestFirst = new ArrayList<>(inventory.list());
    newestFirst.sort(Comparator.comparing(Deployment::version).reversed());
    Map<Version, String> kept = new LinkedHashMap<>();
    current.activeVersion().ifPresent(v -> kept.putIfAbsent(v, "active"));
    current.previousVersion().ifPresent(v -> kept.putIfAbsent(v, "previous"));
    current.lastKnownGoodVersion().ifPresent(v -> kept.putIfAbsent(v, "last known good"));
    newestFirst.stream()
        .filter(d -> !d.version().isNightly())
        .findFirst()
        .ifPresent(d -> kept.putIfAbsent(d.version(), "parent of the next tagged release"));
    newestFirst.stream()
        .filter(d -> d.version().isNightly())
        .findFirst()
        .ifPresent(d -> kept.putIfAbsent(d.version(), "parent of the next nightly"));
    newestFirst.stream()
        .limit(keep)
        .forEach(d -> kept.putIfAbsent(d.version(), "among the " + keep + " newest"));

    List<Version> removed =
        newestFirst.stream().map(Deployment::version).filter(v -> !kept.containsKey(v)).toList();
    return new PruneResult(removed, kept);
  }

  private Path mark(Version version) throws OpdeployException {
    Path marker = layout.pruneMarker(version);
    try {
      Files.createDirectories(marker.getParent());
      Files.createFile(marker);
      FileTrees.syncDirectory(marker.getParent());
      return marker;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return marker;
    } catch (IOException e) {
      throw new OpdeployException("cannot write " + marker + ": " + e.getMessage(), e);
    }
  }

  private static void unmark(Path marker) throws OpdeployException {
    try {
      Files.deleteIfExists(marker);
    } catch (IOException e) {
      throw new OpdeployException("cannot remove " + marker + ": " + e.getMessage(), e);
    }
  }
}
