package org.opdeploy.deploy.activate;

import java.util.Optional;
import org.opdeploy.deploy.state.StateFile;
import org.opdeploy.deploy.state.TargetState;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.version.Version;

/**
 * {@code rollback [VERSION]}: switches back to the previous version, or to any deployed {@code
 * VERSION}, and restarts it. Instant by construction: no download, no receive, only the switch of
 * {@link ActivateDeploymentStep}.
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
    Version target = target(version);
    return activate.activate("rollback", target, s -> s.withActivated(target));
  }

  /**
   * What {@link #run} would do, doing nothing ({@code --dry-run}); refused as {@link #run} refuses.
   */
  public RollbackPlan plan(Optional<Version> version) throws OpdeployException {
    Version target = target(version);
    return new RollbackPlan(
        target, state.read().activeVersion().orElse(null), activate.locate(target));
  }

  /** The version {@link #run} would switch to: {@code version}, or the previous one when empty. */
  public Version target(Optional<Version> version) throws OpdeployException {
    TargetState current = state.read();
    return version.isPresent()
        ? version.get()
        : current
            .previousVersion()
            .orElseThrow(
                () ->
                    new OpdeployException(
                        "no previous version recorded in "
                            + state.file()
                            + ": name the version to roll back to (rollback VERSION)"));
  }
}
