package org.opdeploy.deploy.activate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.opdeploy.deploy.DeploymentInventory;
import org.opdeploy.deploy.KeptManifests;
import org.opdeploy.deploy.TargetLayout;
import org.opdeploy.deploy.TargetSettings;
import org.opdeploy.deploy.service.ServiceManager;
import org.opdeploy.deploy.state.StateFile;
import org.opdeploy.deploy.state.TargetState;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/**
 * Makes a received deployment the active one, without any download or receive: renames a new
 * {@code current} link into place, mounts the deployment read-only at {@code mount} and an
 * overlay on it at {@code overlay}, records the switch in {@code state.json}, then installs and
 * restarts the manifest's unit. Activating the active version again restores its mounts (after a
 * reboot, for instance) and restarts it.
 */
public final class ActivateDeploymentStep {
  private final TargetSettings settings;
  private final TargetLayout layout;
  private final DeploymentInventory inventory;
  private final KeptManifests manifests;
  private final DeploymentMounts mounts;
  private final ServiceManager services;
  private final StateFile state;
  private final ProgressListener progress;

  public ActivateDeploymentStep(TargetSettings settings, DeploymentInventory inventory, KeptManifests manifests,
      DeploymentMounts mounts, ServiceManager services, StateFile state, ProgressListener progress) {
    this.settings = settings;
    this.layout = settings.layout();
    this.inventory = inventory;
    this.manifests = manifests;
    this.mounts = mounts;
    this.services = services;
    this.state = state;
    this.progress = progress;
  }

  /** Activates {@code version}; the version active until now becomes previous. */
  public ActivationResult run(Version version) throws OpdeployException {
    return activate(version, s -> s.withActivated(version));
  }

  /**
   * Activates {@code version} and records the switch as {@code change} says: rollbacks use this to
   * restore earlier pointers instead of treating the switch as a new activation.
   */
  public ActivationResult activate(Version version, UnaryOperator<TargetState> change) throws OpdeployException {
    Path path = deployment(version);
    Optional<Manifest> manifest = manifests.find(version);
    TargetState before = state.read();
    progress.stepStarted("activate " + version);
    long start = System.nanoTime();
    new CurrentLink(layout.current()).pointTo(path);
    mounts.bindReadOnly(path, settings.mount());
    mounts.overlay(path, layout.overlayUpper(version), layout.overlayWork(version), settings.overlay());
    state.write(change.apply(before));
    Duration switchTime = Duration.ofNanos(System.nanoTime() - start);
    String unit = manifest.map(Manifest::service).orElse(null);
    if (manifest.isEmpty()) {
      progress.warn("no manifest of " + version + " in " + layout.cache(version) + ": its service was not restarted");
    } else if (unit != null) {
      services.install(unit, path);
      services.restart(unit);
    }
    progress.stepFinished("activate " + version);
    Version previous = before.activeVersion().filter(v -> !v.equals(version)).orElse(null);
    return new ActivationResult(version, previous, path, unit, switchTime);
  }

  /** Where {@code version} is deployed; refused when it is not, before anything is switched. */
  public Path deployment(Version version) throws OpdeployException {
    return inventory.locate(version).orElseThrow(() -> new OpdeployException(
        version + " is not deployed on this target (no " + layout.deployments() + "/@NAME-" + version
            + "): run deploy " + version + " first"));
  }
}
