package org.opdeploy.deploy.activate;

import java.util.Optional;
import org.opdeploy.deploy.state.StateFile;
import org.opdeploy.deploy.state.TargetState;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.version.Version;

/**
 * {@code rollback [VERSION]}: switches back to the previous version, or to any deployed
 * {@code VERSION}, and restarts it. Instant by construction: no download, no receive, only the
 * switch of {@link ActivateDeploymentStep}.
 */
public final class RollbackStep {
  private final ActivateDeploymentStep activate;
  private final StateFile state;

  public RollbackStep(ActivateDeploymentStep activate, StateFile state) {
    this.activate = activate;
    this.state = state;
  }

  /** Rolls back to {@code version}, or to the previous version when empty. */
  public ActivationResult run(Optional<Version> version) throws OpdeployException {
    TargetState current = state.read();
    Version target = version.isPresent() ? version.get() : current.previousVersion().orElseThrow(
        () -> new OpdeployException("no previous version recorded in " + state.file()
            + ": name the version to roll back to (rollback VERSION)"));
    return activate.activate("rollback", target, s -> s.withActivated(target));
  }
}
