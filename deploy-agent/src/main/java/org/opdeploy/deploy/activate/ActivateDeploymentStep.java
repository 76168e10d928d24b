package org.opdeploy.deploy.activate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.opdeploy.deploy.inventory.DeploymentInventory;
import org.opdeploy.deploy.inventory.KeptManifests;
import org.opdeploy.deploy.layout.TargetLayout;
import org.opdeploy.deploy.layout.TargetSettings;
import org.opdeploy.deploy.service.ServiceManager;
import org.opdeploy.deploy.state.CrashPoint;
import org.opdeploy.deploy.state.StateFile;
import org.opdeploy.deploy.state.SwitchIntent;
import org.opdeploy.deploy.state.SwitchJournal;
import org.opdeploy.deploy.state.TargetState;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/**
 * Makes a received deployment the active one, without any download or receive. First the intent is
 * written ({@code switch.json}, {@link SwitchJournal}); then a new {@code current} link is renamed
 * into place, the deployment is mounted read-only at {@code mount} and an overlay on it at {@code
 * overlay}; then {@code state.json} records the switch, which is its commit point; then the
 * manifest's unit is installed and restarted, and the intent removed. A run killed anywhere in
 * between is undone (before the commit) or completed (after it) by the next run ({@link
 * RecoverInterruptedSwitchStep}). Activating the active version again restores its mounts (after a
 * reboot, for instance) and restarts it. A version activated for the first time gets the
 * machine-local changes of the active version's overlay ({@link MergeOverlayStep}); the service's
 * account is checked before anything switches.
 */
public final class ActivateDeploymentStep {
  private final TargetSettings settings;
  private final TargetLayout layout;
  private final DeploymentInventory inventory;
  private final KeptManifests manifests;
  private final DeploymentMounts mounts;
  private final ServiceManager services;
  private final StateFile state;
  private final SwitchJournal journal;
  private final Clock clock;
  private final ProgressListener progress;

  public ActivateDeploymentStep(
      TargetSettings settings,
      DeploymentInventory inventory,
      KeptManifests manifests,
      DeploymentMounts mounts,
      ServiceManager services,
      StateFile state,
      SwitchJournal journal,
      Clock clock,
      ProgressListener progress) {
    this.settings = settings;
    this.layout = settings.layout();
    this.inventory = inventory;
    this.manifests = manifests;
    this.mounts = mounts;
    this.services = services;
    this.state = state;
    this.journal = journal;
    this.clock = clock;
    this.progress = progress;
  }

  /** Activates {@code version}; the version active until now becomes previous. */
  public ActivationResult run(Version version) throws OpdeployException {
    return activate("activate", version, s -> s.withActivated(version));
  }

  /**
   * Activates {@code version} for {@code command} and commits the switch as {@code change} says:
   * rollbacks use this to restore earlier pointers instead of treating the switch as new.
   */
  public ActivationResult activate(
      String command, Version version, UnaryOperator<TargetState> change) throws OpdeployException {
    return activate(command, version, change, false);
  }

  /**
   * As {@link #activate(String, Version, UnaryOperator)}; {@code atBoot}: the service is started
   * without waiting, since it is ordered after the boot unit this runs in.
   */
  public ActivationResult activate(
      String command, Version version, UnaryOperator<TargetState> change, boolean atBoot)
      throws OpdeployException {
    Path path = locate(version);
    Optional<Manifest> manifest = manifests.find(version);
    TargetState before = state.read();
    TargetState after = change.apply(before);
    progress.stepStarted("activate " + version);
    prepare(before, version, path, manifest);
    long start = System.nanoTime();
    journal.begin(SwitchIntent.of(command, version, false, before, after, clock.instant()));
    CrashPoint.reached("switch-intent-written");
    switchTo(version, path, "switch");
    state.write(after);
    CrashPoint.reached("switch-state-written");
    Duration switchTime = Duration.ofNanos(System.nanoTime() - start);
    String unit = restart(version, path, manifest, atBoot);
    CrashPoint.reached("switch-service-restarted");
    journal.clear();
    progress.stepFinished("activate " + version);
    Version previous = before.activeVersion().filter(v -> !v.equals(version)).orElse(null);
    return new ActivationResult(version, previous, path, unit, restarts(unit), switchTime);
  }

  /**
   * What comes before a switch to {@code version}: its service's account is checked (and created on
   * the host when missing), and a version activated for the first time gets the machine-local
   * changes of the active version's overlay.
   */
  public void prepare(TargetState before, Version version, Path path, Optional<Manifest> manifest)
      throws OpdeployException {
    if (manifest.isPresent() && manifest.get().service() != null) {
      services.prepare(manifest.get(), path);
    }
    Optional<Version> from = before.activeVersion().filter(v -> !v.equals(version));
    if (from.isPresent() && !Files.exists(layout.overlayUpper(version))) {
      Optional<Path> fromPath = inventory.locate(from.get());
      if (fromPath.isPresent()) {
        new MergeOverlayStep(mounts, progress)
            .run(
                fromPath.get(),
                layout.overlayUpper(from.get()),
                path,
                layout.overlayUpper(version),
                settings.mount());
      }
    }
  }

  /** The deployment of {@code version}, or a failure saying to deploy it first. */
  public Path locate(Version version) throws OpdeployException {
    Optional<Path> found = inventory.locate(version);
    if (found.isPresent()) {
      return found.get();
    }
    // The folder a deploy would create, by its real name: the kept manifest's, else the name the
    // other deployments carry; with neither, the folder it would be in.
    Optional<String> name = manifests.find(version).map(Manifest::name);
    if (name.isEmpty()) {
      name = inventory.payloadName();
    }
    throw new OpdeployException(
        version
            + " is not deployed on this target ("
            + name.map(n -> "no " + layout.deployment(n, version))
                .orElse("nothing in " + layout.deployments())
            + "): run deploy "
            + version
            + " first");
  }

  /**
   * Points {@code current} and both mounts at {@code version}, touching neither {@code state.json}
   * nor the service. {@code phase} names the crash points passed ({@code switch}, {@code revert},
   * {@code recover}).
   */
  public void switchTo(Version version, Path path, String phase) throws OpdeployException {
    new CurrentLink(layout.current(), layout.currentSwitch()).pointTo(path);
    CrashPoint.reached(phase + "-link-renamed");
    mounts.bindReadOnly(path, settings.mount());
    CrashPoint.reached(phase + "-bind-mounted");
    mounts.overlay(
        path, layout.overlayUpper(version), layout.overlayWork(version), settings.overlay());
    CrashPoint.reached(phase + "-overlay-mounted");
  }

  /**
   * Whether a switch restarts {@code unit}: not when the manifest names none, nor when no service
   * manager is driven ({@code service: none}).
   */
  public boolean restarts(String unit) {
    return unit != null && services.managesServices();
  }

  /** Installs and restarts the unit {@code version}'s manifest names; returns it, or null. */
  public String restart(Version version, Path path) throws OpdeployException {
    return restart(version, path, manifests.find(version), false);
  }

  private String restart(Version version, Path path, Optional<Manifest> manifest, boolean atBoot)
      throws OpdeployException {
    if (manifest.isEmpty()) {
      progress.warn(
          "no manifest of "
              + version
              + " in "
              + layout.cache(version)
              + ": its service was not restarted");
      return null;
    }
    String unit = manifest.get().service();
    if (unit != null) {
      services.install(manifest.get(), path);
      if (atBoot) {
        services.startWithoutWaiting(unit);
      } else {
        services.restart(unit);
      }
    }
    return unit;
  }
}
