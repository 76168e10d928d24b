package org.opdeploy.deploy.boot;

import java.util.Optional;
import org.opdeploy.deploy.DeploymentInventory;
import org.opdeploy.deploy.activate.ActivateDeploymentStep;
import org.opdeploy.deploy.activate.ActivationResult;
import org.opdeploy.deploy.state.StateFile;
import org.opdeploy.deploy.state.TargetState;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/**
 * {@code opdeploy target boot}, run by {@code opdeploy-boot.service} on every boot before the
 * payload's service: mounts the active version again and starts its service. When the active
 * version is still pending (an upgrade switched to it and the machine went down before its health
 * check passed), it does not come back: the last-known-good version is activated instead and the
 * pending one is recorded as failed, as RAUC's mark-good and boot counting do.
 */
public final class BootTargetStep {
  private final ActivateDeploymentStep activate;
  private final DeploymentInventory inventory;
  private final StateFile state;
  private final ProgressListener progress;

  public BootTargetStep(ActivateDeploymentStep activate, DeploymentInventory inventory, StateFile state,
      ProgressListener progress) {
    this.activate = activate;
    this.inventory = inventory;
    this.state = state;
    this.progress = progress;
  }

  /** What came back, or empty when nothing was ever activated here. */
  public Optional<BootResult> run() throws OpdeployException {
    TargetState current = state.read();
    Optional<Version> active = current.activeVersion();
    if (active.isEmpty()) {
      progress.info("nothing was activated on this target: nothing to mount");
      return Optional.empty();
    }
    Optional<Version> pending = current.pendingVersion().filter(active.get()::equals);
    Optional<Version> good = current.lastKnownGoodVersion()
        .filter(v -> !v.equals(active.get()))
        .filter(v -> isDeployed(v));
    if (pending.isPresent() && good.isPresent()) {
      Version bad = pending.get();
      progress.warn(bad + " was activated but never passed its health check: booting last-known-good "
          + good.get() + " instead");
      ActivationResult result = activate.activate(good.get(), s -> s.withActivated(good.get()).withFailed(bad), true);
      return Optional.of(new BootResult(result, bad));
    }
    if (pending.isPresent()) {
      progress.warn(active.get() + " never passed its health check, but there is no last-known-good version to"
          + " boot instead: it stays");
    }
    ActivationResult result = activate.activate(active.get(), s -> s, true);
    return Optional.of(new BootResult(result, null));
  }

  private boolean isDeployed(Version version) {
    try {
      return inventory.locate(version).isPresent();
    } catch (OpdeployException e) {
      return false;
    }
  }
}
