package org.opdeploy.deploy.boot;

import java.util.Optional;
import org.opdeploy.deploy.activate.ActivateDeploymentStep;
import org.opdeploy.deploy.activate.ActivationResult;
import org.opdeploy.deploy.activate.RecoverInterruptedSwitchStep.Recovery;
import org.opdeploy.deploy.state.StateFile;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/**
 * {@code opdeploy target boot}, run by {@code opdeploy-boot.service} on every boot before the
 * payload's service: mounts the version {@code state.json} names active again and starts its
 * service without waiting. It runs after the interrupted-switch recovery, so an upgrade whose
 * health check never finished (the machine went down during it) has already been undone: its
 * version does not come back, the version active before it does, and it is recorded as failed, as
 * RAUC's mark-good and boot counting do.
 */
public final class BootTargetStep {
  private final ActivateDeploymentStep activate;
  private final StateFile state;
  private final ProgressListener progress;

  public BootTargetStep(
      ActivateDeploymentStep activate, StateFile state, ProgressListener progress) {
    this.activate = activate;
    this.state = state;
    this.progress = progress;
  }

  /**
   * What came back, or empty when nothing was ever activated here. {@code recovery}: what the
   * recovery before it did, if anything.
   */
  public Optional<BootResult> run(Optional<Recovery> recovery) throws OpdeployException {
    Optional<Version> active = state.read().activeVersion();
    if (active.isEmpty()) {
      progress.info("nothing was activated on this target: nothing to mount");
      return Optional.empty();
    }
    Version skipped = null;
    if (recovery.isPresent()
        && recovery.get().intent().healthCheck()
        && "reverted".equals(recovery.get().action())) {
      skipped = recovery.get().intent().toVersion();
    }
    ActivationResult result = activate.activate("target boot", active.get(), s -> s, true);
    return Optional.of(new BootResult(result, skipped));
  }
}
