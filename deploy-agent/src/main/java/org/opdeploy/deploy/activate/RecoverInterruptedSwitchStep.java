package org.opdeploy.deploy.activate;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.opdeploy.audit.AuditLog;
import org.opdeploy.deploy.inventory.DeploymentInventory;
import org.opdeploy.deploy.state.StateFile;
import org.opdeploy.deploy.state.SwitchIntent;
import org.opdeploy.deploy.state.SwitchJournal;
import org.opdeploy.deploy.state.TargetState;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/**
 * Finishes a switch a killed run left halfway, as recorded in {@code switch.json}: the first step
 * of every mutating target command, and of {@code target boot}. The caller holds the target lock.
 *
 * <ul>
 *   <li>{@code state.json} already holds the intent's {@code after} (the commit happened): the
 *       switch is <b>completed</b> — {@code current} and the mounts are pointed at the new version
 *       again and its service restarted.
 *   <li>Otherwise it is <b>undone</b>: {@code current}, the mounts and {@code state.json} go back
 *       to the version active before, and its service is restarted. An upgrade whose health check
 *       did not finish is undone this way and its version recorded as failed.
 *   <li>When there was no version before, the new one stays (there is nothing to go back to); an
 *       unchecked upgrade is recorded as failed.
 * </ul>
 *
 * Every action is idempotent, so a recovery killed in turn is simply done again by the next run. A
 * service that will not restart does not stop the recovery: the switch is consistent, and the
 * failure is reported.
 */
public final class RecoverInterruptedSwitchStep {
  /** What was found and done. */
  public record Recovery(SwitchIntent intent, String action, Version active) {}

  private final SwitchJournal journal;
  private final StateFile state;
  private final DeploymentInventory inventory;
  private final ActivateDeploymentStep activate;
  private final AuditLog audit;
  private final ProgressListener progress;

  public RecoverInterruptedSwitchStep(
      SwitchJournal journal,
      StateFile state,
      DeploymentInventory inventory,
      ActivateDeploymentStep activate,
      AuditLog audit,
      ProgressListener progress) {
    this.journal = journal;
    this.state = state;
    this.inventory = inventory;
    this.activate = activate;
    this.audit = audit;
    this.progress = progress;
  }

  /** Completes or undoes the interrupted switch, if there is one, and restarts the service. */
  public Optional<Recovery> run() throws OpdeployException {
    return run(true);
  }

  /**
   * As {@link #run()}; {@code restartService} false at boot, where the service is ordered after the
   * boot unit and {@code target boot} starts it without waiting.
   */
  public Optional<Recovery> run(boolean restartService) throws OpdeployException {
    Optional<SwitchIntent> found = journal.read();
    if (found.isEmpty()) {
      return Optional.empty();
    }
    SwitchIntent intent = found.get();
    Version to = intent.toVersion();
    Optional<Version> from = intent.fromVersion().filter(v -> !v.equals(to));
    boolean committed = state.read().sameAs(intent.after());
    Optional<Path> toPath = inventory.locate(to);
    Optional<Path> fromPath = from.isPresent() ? inventory.locate(from.get()) : Optional.empty();
    Recovery recovery;
    if (toPath.isPresent() && (committed || from.isEmpty() || fromPath.isEmpty())) {
      TargetState result =
          committed || !intent.healthCheck()
              ? intent.after()
              : intent.before().withActivated(to).withFailed(to);
      recovery =
          finish(
              intent, to, toPath.get(), result, committed ? "completed" : "kept", restartService);
    } else if (fromPath.isPresent()) {
      TargetState result = intent.healthCheck() ? intent.before().withFailed(to) : intent.before();
      recovery = finish(intent, from.get(), fromPath.get(), result, "reverted", restartService);
    } else {
      progress.warn(
          "switch.json records "
              + intent.describe()
              + " but neither deployment is left; dropping it");
      journal.clear();
      recovery = new Recovery(intent, "dropped", null);
    }
    audit.append(
        "recover-switch",
        intent.to(),
        "ok",
        Map.of(
            "interrupted",
            intent.describe(),
            "action",
            recovery.action(),
            "active",
            String.valueOf(recovery.active())));
    return Optional.of(recovery);
  }

  private Recovery finish(
      SwitchIntent intent,
      Version version,
      Path path,
      TargetState result,
      String action,
      boolean restartService)
      throws OpdeployException {
    progress.warn(
        "an interrupted "
            + intent.describe()
            + " was found ("
            + intent.started()
            + "): "
            + action
            + ", "
            + version
            + " is active");
    activate.switchTo(version, path, "recover");
    if (!state.read().sameAs(result)) {
      state.write(result);
    }
    try {
      if (restartService) {
        activate.restart(version, path);
      }
    } catch (OpdeployException e) {
      progress.warn(
          "the service of "
              + version
              + " did not restart: "
              + e.getMessage()
              + "; the switch itself is complete (see opdeploy status)");
    }
    journal.clear();
    return new Recovery(intent, action, version);
  }
}
