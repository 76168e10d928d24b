package org.opdeploy.deploy.activate;

import java.nio.file.Path;
import java.util.Optional;
import org.opdeploy.deploy.DeployReleaseStep;
import org.opdeploy.deploy.KeptManifests;
import org.opdeploy.deploy.receive.DeployResult;
import org.opdeploy.deploy.service.CheckHealthStep;
import org.opdeploy.deploy.service.HealthReport;
import org.opdeploy.deploy.state.StateFile;
import org.opdeploy.deploy.state.TargetState;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/**
 * {@code upgrade VERSION --from SOURCE}: deploy, activate, then the manifest's health check. A
 * version that fails it (or cannot even be started) is recorded as failed and the version active
 * before is switched back and restarted, with the pointers of {@code state.json} as they were; the
 * upgrade then fails with exit 1. A healthy version becomes the last known good.
 */
public final class UpgradeStep {
  private final DeployReleaseStep deploy;
  private final ActivateDeploymentStep activate;
  private final CheckHealthStep health;
  private final KeptManifests manifests;
  private final StateFile state;
  private final Path mount;
  private final ProgressListener progress;

  public UpgradeStep(DeployReleaseStep deploy, ActivateDeploymentStep activate, CheckHealthStep health,
      KeptManifests manifests, StateFile state, Path mount, ProgressListener progress) {
    this.deploy = deploy;
    this.activate = activate;
    this.health = health;
    this.manifests = manifests;
    this.state = state;
    this.mount = mount;
    this.progress = progress;
  }

  public UpgradeResult run(Version version) throws OpdeployException {
    DeployResult deployed = deploy.run(version);
    TargetState before = state.read();
    ActivationResult activation;
    HealthReport report;
    try {
      // Pending until the health check passes: a reboot before that comes back on last-known-good.
      activation = activate.activate(version, t -> t.withActivated(version).withPending(version));
      Manifest manifest = manifests.find(version).orElseThrow(() -> new OpdeployException(
          "the manifest of " + version + " is gone from the cache; cannot run its health check"));
      progress.stepStarted("health check " + version);
      report = health.run(manifest, version, mount);
      progress.stepFinished("health check " + version);
    } catch (OpdeployException e) {
      throw rollBack(version, before, e.getMessage(), e);
    }
    if (!report.healthy()) {
      throw rollBack(version, before, "failed its health check after " + report.attempts() + " attempt(s): "
          + report.detail(), null);
    }
    state.write(state.read().withHealthy(version));
    return new UpgradeResult(deployed, activation, report);
  }

  private UpgradeFailedException rollBack(Version version, TargetState before, String why, Throwable cause) {
    Optional<Version> previous = before.activeVersion().filter(v -> !v.equals(version));
    try {
      if (previous.isEmpty()) {
        state.write(state.read().withFailed(version));
        return new UpgradeFailedException(version + " " + why + "; there is no earlier version to switch back to,"
            + " so " + version + " stays in place: fix it and upgrade again", version, null, cause);
      }
      progress.warn(version + " " + why + "; switching back to " + previous.get());
      activate.activate(previous.get(), s -> s.withPointersOf(before).withFailed(version));
      return new UpgradeFailedException(version + " " + why + "; rolled back to " + previous.get(), version,
          previous.get(), cause);
    } catch (OpdeployException e) {
      return new UpgradeFailedException(version + " " + why + "; rolling back to " + previous.orElse(null)
          + " failed too: " + e.getMessage() + "; run rollback " + previous.orElse(null), version, null, e);
    }
  }
}
