package org.opdeploy.deploy.prune;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.opdeploy.audit.SpaceReserve;
import org.opdeploy.btrfs.Btrfs;
import org.opdeploy.deploy.inventory.DeploymentInventory;
import org.opdeploy.deploy.inventory.StagingArea;
import org.opdeploy.deploy.layout.TargetLayout;
import org.opdeploy.deploy.state.StateFile;
import org.opdeploy.deploy.state.SwitchJournal;
import org.opdeploy.deploy.state.TargetState;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.io.FileTrees;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/**
 * Removes what killed runs leave behind; run at the start of every mutating target command (after
 * the switch recovery) and so by {@code target prune}. Callers hold the target lock.
 *
 * <ul>
 *   <li>interrupted receives: subvolumes still journalled in {@code deploy/.staging} ({@link
 *       StagingArea});
 *   <li>a prune killed halfway: {@code cache/V} and {@code overlays/V} of a version journalled in
 *       {@code deploy/.pruning} whose deployment is gone (one still there stays, unmarked: the next
 *       prune decides again);
 *   <li>{@code overlays/V} of a version with no deployment and not active;
 *   <li>{@code .partial} downloads of versions no longer wanted: already deployed, or older than
 *       the highest version installed on their track (they would be refused as downgrades);
 *   <li>temporary files of writes that were cut short ({@code state.json.tmp}, {@code
 *       switch.json.tmp}, {@code .current.new}, {@code .reserve.tmp}, {@code .reserve.end.tmp}).
 * </ul>
 */
public final class SweepLeftoversStep {
  private final Btrfs btrfs;
  private final TargetLayout layout;
  private final DeploymentInventory inventory;
  private final StateFile state;
  private final ProgressListener progress;

  public SweepLeftoversStep(
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

  /** Sweeps; {@code wanted} (the version the command works on, if any) keeps its downloads. */
  public List<Path> run(Optional<Version> wanted) throws OpdeployException {
    List<Path> removed = new ArrayList<>();
    new StagingArea(btrfs, layout.staging(), progress).sweep();
    Set<Version> deployed = inventory.folders().keySet();
    for (Path marker : list(layout.pruneJournal())) {
      Optional<Version> version = TargetLayout.versionFolder(marker.getFileName().toString());
      if (version.isPresent() && !deployed.contains(version.get())) {
        remove(layout.cache(version.get()), removed);
        remove(layout.overlay(version.get()), removed);
      }
      remove(marker, removed);
    }
    TargetState current = state.read();
    for (Path overlay : list(layout.overlayRoot())) {
      Optional<Version> version = TargetLayout.versionFolder(overlay.getFileName().toString());
      if (version.isPresent()
          && !deployed.contains(version.get())
          && !version.get().equals(current.active())) {
        remove(overlay, removed);
      }
    }
    for (Path cache : list(layout.cacheRoot())) {
      Optional<Version> version = TargetLayout.versionFolder(cache.getFileName().toString());
      if (version.isEmpty() || version.equals(wanted)) {
        continue;
      }
      boolean stale =
          deployed.contains(version.get())
              || current
                  .highestOnTrackOf(version.get())
                  .filter(highest -> version.get().compareTo(highest) < 0)
                  .isPresent();
      if (stale) {
        for (Path file : list(cache)) {
          if (file.getFileName().toString().endsWith(TargetLayout.PARTIAL_SUFFIX)) {
            remove(file, removed);
          }
        }
      }
    }
    for (Path temp :
        List.of(
            SwitchJournal.temporaryOf(layout.stateFile()),
            SwitchJournal.temporaryOf(layout.switchFile()),
            layout.currentSwitch(),
            SwitchJournal.temporaryOf(layout.reserveFile()),
            SwitchJournal.temporaryOf(new SpaceReserve(layout.reserveFile()).endEntry().file()))) {
      remove(temp, removed);
    }
    return removed;
  }

  private void remove(Path path, List<Path> removed) throws OpdeployException {
    if (FileTrees.deleteTree(path)) {
      progress.info("removed leftover " + path);
      removed.add(path);
    }
  }

  private static List<Path> list(Path dir) throws OpdeployException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.sorted().toList();
    } catch (IOException e) {
      throw new OpdeployException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}
