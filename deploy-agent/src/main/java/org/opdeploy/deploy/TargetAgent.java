package org.opdeploy.deploy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.opdeploy.audit.AuditLog;
import org.opdeploy.audit.AuditedRun;
import org.opdeploy.btrfs.Btrfs;
import org.opdeploy.btrfs.BtrfsCli;
import org.opdeploy.deploy.activate.ActivateDeploymentStep;
import org.opdeploy.deploy.activate.ActivationResult;
import org.opdeploy.deploy.activate.DeploymentMounts;
import org.opdeploy.deploy.activate.RollbackPlan;
import org.opdeploy.deploy.activate.RollbackStep;
import org.opdeploy.deploy.activate.UpgradeResult;
import org.opdeploy.deploy.activate.UpgradeStep;
import org.opdeploy.deploy.fetch.FetchPlan;
import org.opdeploy.deploy.fetch.FetchReleaseStep;
import org.opdeploy.deploy.fetch.RetryPolicy;
import org.opdeploy.deploy.prepare.PrepareReport;
import org.opdeploy.deploy.prepare.PrepareTargetStep;
import org.opdeploy.deploy.prune.PruneDeploymentsStep;
import org.opdeploy.deploy.prune.PruneResult;
import org.opdeploy.deploy.receive.DeployResult;
import org.opdeploy.deploy.receive.ReceiveDeploymentStep;
import org.opdeploy.deploy.release.FetchedRelease;
import org.opdeploy.deploy.service.CheckHealthStep;
import org.opdeploy.deploy.service.NoServiceManager;
import org.opdeploy.deploy.service.ServiceManager;
import org.opdeploy.deploy.service.SystemdServiceManager;
import org.opdeploy.deploy.state.StateFile;
import org.opdeploy.deploy.status.StatusReport;
import org.opdeploy.deploy.status.TargetStatus;
import org.opdeploy.deploy.verify.CheckSendProtocolStep;
import org.opdeploy.deploy.verify.ManifestRules;
import org.opdeploy.deploy.verify.SignatureCheck;
import org.opdeploy.deploy.verify.VerifyFetchedReleaseStep;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.seal.TrustedKeys;
import org.opdeploy.store.ReleaseSource;
import org.opdeploy.version.Version;

/**
 * The target side wired together: one method per command, each building its steps and running
 * them under the target lock with an audit line ({@link AuditedRun}); {@link #status()} and
 * {@link #prepare()} take no lock. The CLI parses options, builds one of these and calls it.
 */
public final class TargetAgent {
  private final TargetSettings settings;
  private final TargetLayout layout;
  private final ProcessRunner runner;
  private final Btrfs btrfs;
  private final ServiceManager services;
  private final SignatureCheck signatures;
  private final ProgressListener progress;
  private final Clock clock;
  private final StateFile state;
  private final DeploymentInventory inventory;
  private final KeptManifests manifests;
  private final AuditedRun run;
  private RetryPolicy retry = RetryPolicy.DEFAULT;

  public TargetAgent(TargetSettings settings, ProcessRunner runner, ServiceManager services,
      SignatureCheck signatures, ProgressListener progress, Clock clock, Duration lockWait) {
    this.settings = settings;
    this.layout = settings.layout();
    this.runner = runner;
    this.btrfs = new BtrfsCli(runner);
    this.services = services;
    this.signatures = signatures;
    this.progress = progress;
    this.clock = clock;
    this.state = new StateFile(layout.stateFile(), clock);
    this.inventory = new DeploymentInventory(btrfs, layout);
    this.manifests = new KeptManifests(layout);
    this.run = new AuditedRun(layout.lockFile(), new AuditLog(layout.auditLog(), clock), lockWait);
  }

  /**
   * The agent for this host: btrfs-progs and mount through one {@link ProcessRunner}, signatures
   * checked against {@code settings.trustedKeys()}, the service manager {@code settings.service()}
   * names, the system clock, and a lock wait of {@code lockWait}.
   */
  public static TargetAgent forHost(TargetSettings settings, ProgressListener progress, Duration lockWait)
      throws OpdeployException {
    ProcessRunner runner = new ProcessRunner();
    ServiceManager services = settings.service() == TargetSettings.ServiceMode.SYSTEMD
        ? new SystemdServiceManager(runner, settings.overlay()) : new NoServiceManager();
    // Keys are read when first needed, so that status, rollback and prepare work without them.
    Path keys = settings.trustedKeys();
    SignatureCheck signatures = (data, signature, file) ->
        SignatureCheck.trusting(TrustedKeys.load(keys)).verify(data, signature, file);
    return new TargetAgent(settings, runner, services, signatures, progress, Clock.systemUTC(), lockWait);
  }

  /** Overrides how downloads are retried (tests use short pauses). */
  public TargetAgent withRetry(RetryPolicy value) {
    this.retry = value;
    return this;
  }

  public PrepareReport prepare(int requiredSendProtocol) {
    return new PrepareTargetStep(settings, runner, requiredSendProtocol, PrepareTargetStep.DEFAULT_MIN_FREE_BYTES)
        .run();
  }

  public FetchedRelease fetch(Version version, ReleaseSource source, boolean allowDowngrade)
      throws OpdeployException {
    requireBtrfsRoot();
    // Verified means every byte: the stream files too, not only the signed index.
    return run.locked("fetch", version.toString(), () -> {
      FetchedRelease fetched = fetchStep(source, allowDowngrade, false).run(version);
      verifyStep(allowDowngrade).run(fetched);
      return fetched;
    });
  }

  public DeployResult deploy(Version version, ReleaseSource source, boolean allowDowngrade)
      throws OpdeployException {
    requireBtrfsRoot();
    return run.locked("deploy", version.toString(), () -> deployStep(source, allowDowngrade).run(version));
  }

  public ActivationResult activate(Version version) throws OpdeployException {
    return run.locked("activate", version.toString(), () -> activateStep().run(version));
  }

  public UpgradeResult upgrade(Version version, ReleaseSource source, boolean allowDowngrade)
      throws OpdeployException {
    requireBtrfsRoot();
    return run.locked("upgrade", version.toString(), () -> {
      ActivateDeploymentStep activate = activateStep();
      UpgradeStep upgrade = new UpgradeStep(deployStep(source, allowDowngrade), activate,
          new CheckHealthStep(runner, services), manifests, state, settings.mount(), progress);
      return upgrade.run(version);
    });
  }

  public ActivationResult rollback(Optional<Version> version) throws OpdeployException {
    return run.locked("rollback", version.map(Version::toString).orElse(null),
        () -> new RollbackStep(activateStep(), state).run(version));
  }

  /** What {@link #rollback} would switch to, switching nothing ({@code --dry-run}). */
  public RollbackPlan planRollback(Optional<Version> version) throws OpdeployException {
    return new RollbackStep(activateStep(), state).plan(version);
  }

  /** What {@link #upgrade} would receive, from the proven index only ({@code --dry-run}). */
  public FetchPlan planUpgrade(Version version, ReleaseSource source, boolean allowDowngrade)
      throws OpdeployException {
    requireBtrfsRoot();
    return fetchStep(source, allowDowngrade, false).plan(version);
  }

  /** What {@link #prune} would remove and keep, removing nothing ({@code --dry-run}). */
  public PruneResult planPrune(int keep) throws OpdeployException {
    return new PruneDeploymentsStep(btrfs, layout, inventory, state, progress).plan(keep);
  }

  public StatusReport status() throws OpdeployException {
    return new TargetStatus(layout, state, inventory, manifests).read();
  }

  public PruneResult prune(int keep) throws OpdeployException {
    return run.locked("target prune", null,
        () -> new PruneDeploymentsStep(btrfs, layout, inventory, state, progress).run(keep));
  }

  /** Verifies the audit log; returns its entry count. Not audited itself: it only reads. */
  public int verifyAudit() throws OpdeployException {
    return new VerifyAuditStep(new AuditLog(layout.auditLog(), clock)).run();
  }

  /**
   * A root off btrfs can never receive: refused (exit 2) before the lock, a download or any file
   * is created. The root itself may not exist yet; the folder that would hold it decides.
   */
  private void requireBtrfsRoot() throws OpdeployException {
    Path existing = layout.root();
    while (existing != null && !java.nio.file.Files.exists(existing)) {
      existing = existing.getParent();
    }
    try {
      btrfs.requireBtrfs(existing == null ? layout.root() : existing);
    } catch (OpdeployException e) {
      throw new org.opdeploy.error.BadInputException("root " + layout.root() + ": " + e.getMessage());
    }
  }

  private VerifyFetchedReleaseStep verifyStep(boolean allowDowngrade) {
    return new VerifyFetchedReleaseStep(signatures, new ManifestRules(clock, allowDowngrade), state);
  }

  /** {@code inPlace}: a deploy reads a {@code dir:} store's streams where they lie; a fetch copies them. */
  private FetchReleaseStep fetchStep(ReleaseSource source, boolean allowDowngrade, boolean inPlace) {
    return new FetchReleaseStep(source, layout, inventory, verifyStep(allowDowngrade), progress, retry, inPlace)
        .checkingProtocol(new CheckSendProtocolStep(runner));
  }

  private DeployReleaseStep deployStep(ReleaseSource source, boolean allowDowngrade) {
    return new DeployReleaseStep(fetchStep(source, allowDowngrade, true), verifyStep(allowDowngrade),
        new ReceiveDeploymentStep(btrfs, layout, inventory, state, progress), progress);
  }

  private ActivateDeploymentStep activateStep() {
    return new ActivateDeploymentStep(settings, inventory, manifests, new DeploymentMounts(runner), services, state,
        progress);
  }
}
