package org.opdeploy.deploy.activate;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.opdeploy.deploy.inventory.KeptManifests;
import org.opdeploy.deploy.receive.DeployReleaseStep;
import org.opdeploy.deploy.receive.DeployResult;
import org.opdeploy.deploy.service.CheckHealthStep;
import org.opdeploy.deploy.service.HealthReport;
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
 * {@code upgrade VERSION --from SOURCE}: deploy, switch, then the manifest's health check. The
 * switch is journalled ({@link SwitchIntent} with a health check) and committed to {@code
 * state.json} only once the version is healthy: it then becomes active and the last known good in
 * one write. A version that fails the check (or cannot even be started) is recorded as failed and
 * the version active before is switched back and restarted, with the pointers of {@code state.json}
 * as they were; the upgrade then fails with exit 1. A run killed before the commit, during the
 * health check for instance, is reverted the same way by the next run.
 */
public final class UpgradeStep {
  private final DeployReleaseStep deploy;
  private final ActivateDeploymentStep activate;
  private final CheckHealthStep health;
  private final KeptManifests manifests;
  private final StateFile state;
  private final SwitchJournal journal;
  private final Clock clock;
  private final Path mount;
  private final ProgressListener progress;

  public UpgradeStep(
      DeployReleaseStep deploy,
      ActivateDeploymentStep activate,
      CheckHealthStep health,
      KeptManifests manifests,
      StateFile state,
      SwitchJournal journal,
      Clock clock,
      Path mount,
      ProgressListener progress) {
    this.deploy = deploy;
    this.activate = activate;
    this.health = health;
    this.manifests = manifests;
    this.state = state;
    this.journal = journal;
    this.clock = clock;
    this.mount = mount;
    this.progress = progress;
  }

  public UpgradeResult run(Version version) throws OpdeployException {
    DeployResult deployed = deploy.run(version);
    Path path = activate.locate(version);
    TargetState before = state.read();
    TargetState after = before.withActivated(version).withHealthy(version);
    activate.prepare(before, version, path, manifests.find(version));
    journal.begin(SwitchIntent.of("upgrade", version, true, before, after, clock.instant()));
    CrashPoint.reached("switch-intent-written");
    ActivationResult activation;
    HealthReport report;
    try {
      progress.stepStarted("activate " + version);
      long start = System.nanoTime();
      activate.switchTo(version, path, "switch");
      Duration switchTime = Duration.ofNanos(System.nanoTime() - start);
      String unit = activate.restart(version, path);
      CrashPoint.reached("switch-service-restarted");
      progress.stepFinished("activate " + version);
      activation =
          new ActivationResult(
              version,
              before.activeVersion().filter(v -> !v.equals(version)).orElse(null),
              path,
              unit,
              activate.restarts(unit),
              switchTime);
      Manifest manifest =
          manifests
              .find(version)
              .orElseThrow(
                  () ->
                      new OpdeployException(
                          "the manifest of "
                              + version
                              + " is gone from the cache; cannot run its health check"));
      progress.stepStarted("health check " + version);
      CrashPoint.reached("health-check-started");
      report = health.run(manifest, version, mount);
      progress.stepFinished("health check " + version);
    } catch (OpdeployException e) {
      throw rollBack(version, before, e.getMessage(), e);
    }
    if (!report.healthy()) {
      throw rollBack(
          version,
          before,
          "failed its health check after " + report.attempts() + " attempt(s): " + report.detail(),
          null);
    }
    state.write(after);
    CrashPoint.reached("upgrade-committed");
    journal.clear();
    return new UpgradeResult(deployed, activation, report);
  }

  private UpgradeFailedException rollBack(
      Version version, TargetState before, String why, Throwable cause) {
    Optional<Version> previous = before.activeVersion().filter(v -> !v.equals(version));
    try {
      if (previous.isEmpty()) {
        state.write(before.withActivated(version).withFailed(version));
        journal.clear();
        return new UpgradeFailedException(
            version
                + " "
                + why
                + "; there is no earlier version to switch back to,"
                + " so "
                + version
                + " stays in place: fix it and upgrade again",
            version,
            null,
            cause);
      }
      progress.warn(version + " " + why + "; switching back to " + previous.get());
      Path path = activate.locate(previous.get());
      activate.switchTo(previous.get(), path, "revert");
      state.write(before.withFailed(version));
      activate.restart(previous.get(), path);
      journal.clear();
      return new UpgradeFailedException(
          version + " " + why + "; rolled back to " + previous.get(),
          version,
          previous.get(),
          cause);
    } catch (OpdeployException e) {
      return new UpgradeFailedException(
          version
              + " "
              + why
              + "; rolling back to "
              + previous.orElse(null)
              + " failed too: "
              + e.getMessage()
              + "; the next opdeploy run retries it (or run rollback "
              + previous.orElse(null)
              + ")",
          version,
          null,
          e);
    }
  }
}
