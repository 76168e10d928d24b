package org.opdeploy.deploy.status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.opdeploy.deploy.inventory.DeploymentInventory;
import org.opdeploy.deploy.inventory.KeptManifests;
import org.opdeploy.deploy.layout.TargetLayout;
import org.opdeploy.deploy.state.StateFile;
import org.opdeploy.deploy.state.SwitchJournal;
import org.opdeploy.deploy.state.TargetState;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.version.Version;

/**
 * {@code status}: reads state.json, switch.json, the deployment folder names, the kept manifests
 * and the cache. It runs no program and takes no lock, so it answers in milliseconds even during a
 * deploy.
 */
public final class TargetStatus {
  private final TargetLayout layout;
  private final StateFile state;
  private final DeploymentInventory inventory;
  private final KeptManifests manifests;

  public TargetStatus(
      TargetLayout layout,
      StateFile state,
      DeploymentInventory inventory,
      KeptManifests manifests) {
    this.layout = layout;
    this.state = state;
    this.inventory = inventory;
    this.manifests = manifests;
  }

  public StatusReport read() throws OpdeployException {
    TargetState current = state.read();
    List<InstalledVersion> installed = new ArrayList<>();
    for (var folder : inventory.folders().entrySet()) {
      Version version = folder.getKey();
      long bytes =
          manifests
              .find(version)
              .flatMap(Manifest::fullStream)
              .map(Manifest.Stream::streamSize)
              .orElse(-1L);
      installed.add(new InstalledVersion(version, folder.getValue(), bytes));
    }
    return new StatusReport(
        current.active(),
        current.previous(),
        current.lastKnownGood(),
        installed,
        current.failed(),
        current.source(),
        pending(),
        pendingSwitch());
  }

  private PendingSwitch pendingSwitch() throws OpdeployException {
    return new SwitchJournal(layout.switchFile())
        .read()
        .map(i -> new PendingSwitch(i.command(), i.from(), i.to(), i.healthCheck(), i.started()))
        .orElse(null);
  }

  private List<PendingDownload> pending() throws OpdeployException {
    Path cache = layout.cacheRoot();
    if (!Files.isDirectory(cache)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(cache, 2)) {
      List<PendingDownload> found = new ArrayList<>();
      for (Path file :
          files.filter(f -> f.toString().endsWith(TargetLayout.PARTIAL_SUFFIX)).sorted().toList()) {
        found.add(
            new PendingDownload(file.getParent().getFileName().toString(), file, Files.size(file)));
      }
      return found;
    } catch (IOException e) {
      throw new OpdeployException("cannot read " + cache + ": " + e.getMessage(), e);
    }
  }
}
