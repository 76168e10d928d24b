package org.opdeploy.deploy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.opdeploy.audit.AuditLog;
import org.opdeploy.audit.AuditedRun;
import org.opdeploy.audit.SpaceReserve;
import org.opdeploy.btrfs.Btrfs;
import org.opdeploy.btrfs.BtrfsCli;
import org.opdeploy.deploy.activate.ActivateDeploymentStep;
import org.opdeploy.deploy.activate.ActivationResult;
import org.opdeploy.deploy.activate.DeploymentMounts;
import org.opdeploy.deploy.activate.RecoverInterruptedSwitchStep;
import org.opdeploy.deploy.activate.RollbackPlan;
import org.opdeploy.deploy.activate.RollbackStep;
import org.opdeploy.deploy.activate.UpgradeResult;
import org.opdeploy.deploy.activate.UpgradeStep;
import org.opdeploy.deploy.boot.BootResult;
import org.opdeploy.deploy.boot.BootTargetStep;
import org.opdeploy.deploy.fetch.FetchPlan;
import org.opdeploy.deploy.fetch.FetchReleaseStep;
import org.opdeploy.deploy.inventory.DeploymentInventory;
import org.opdeploy.deploy.inventory.KeptManifests;
import org.opdeploy.deploy.layout.BtrfsRoot;
import org.opdeploy.deploy.layout.TargetLayout;
import org.opdeploy.deploy.layout.TargetSettings;
import org.opdeploy.deploy.prepare.MigrateLegacyRootStep;
import org.opdeploy.deploy.prepare.PrepareReport;
import org.opdeploy.deploy.prepare.PrepareTargetStep;
import org.opdeploy.deploy.prune.PruneDeploymentsStep;
import org.opdeploy.deploy.prune.PruneResult;
import org.opdeploy.deploy.prune.SweepLeftoversStep;
import org.opdeploy.deploy.receive.DeployReleaseStep;
import org.opdeploy.deploy.receive.DeployResult;
import org.opdeploy.deploy.receive.ReceiveDeploymentStep;
import org.opdeploy.deploy.release.FetchedRelease;
import org.opdeploy.deploy.service.CheckHealthStep;
import org.opdeploy.deploy.service.NoServiceManager;
import org.opdeploy.deploy.service.ServiceManager;
import org.opdeploy.deploy.service.SystemdServiceManager;
import org.opdeploy.deploy.space.CheckFreeSpaceStep;
import org.opdeploy.deploy.state.StateFile;
import org.opdeploy.deploy.state.SwitchJournal;
import org.opdeploy.deploy.status.StatusReport;
import org.opdeploy.deploy.status.TargetStatus;
import org.opdeploy.deploy.update.AvailableReleases;
import org.opdeploy.deploy.update.ListAvailableReleasesStep;
import org.opdeploy.deploy.update.Track;
import org.opdeploy.deploy.verify.CheckSendProtocolStep;
import org.opdeploy.deploy.verify.ManifestRules;
import org.opdeploy.deploy.verify.VerifyFetchedReleaseStep;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.http.RetryPolicy;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.seal.SignatureCheck;
import org.opdeploy.seal.TrustedKeys;
import org.opdeploy.store.ReleaseSource;
import org.opdeploy.version.Version;

/**
 * The target side wired together: one method per command, each building its steps and running them
 * under the target lock with audit lines at its start and end ({@link AuditedRun}), after repairing
 * what an interrupted run left ({@link #recover()}); {@link #status()} and {@link #prepare} take no
 * lock. The CLI parses options, builds one of these and calls it.
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
  private final SwitchJournal journal;
  private final AuditLog audit;
  private final AuditedRun run;
  private RetryPolicy retry = RetryPolicy.defaults();
  private boolean keepCache;

  public TargetAgent(
      TargetSettings settings,
      ProcessRunner runner,
      ServiceManager services,
      SignatureCheck signatures,
      ProgressListener progress,
      Clock clock,
      Duration lockWait) {
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
    this.journal = new SwitchJournal(layout.switchFile());
    this.audit = new AuditLog(layout.auditLog(), clock);
    this.run =
        new AuditedRun(
            layout.lockFile(), audit, lockWait, new SpaceReserve(layout.reserveFile()), progress);
  }

  /**
   * The agent for this host: btrfs-progs and mount through one {@link ProcessRunner}, signatures
   * checked against {@code settings.trustedKeys()}, the service manager {@code settings.service()}
   * names, the system clock, and a lock wait of {@code lockWait}.
   */
  public static TargetAgent forHost(
      TargetSettings settings, ProgressListener progress, Duration lockWait)
      throws OpdeployException {
    ProcessRunner runner = new ProcessRunner();
    ServiceManager services =
        settings.service() == TargetSettings.ServiceMode.SYSTEMD
            ? new SystemdServiceManager(runner, settings.overlay())
            : new NoServiceManager();
    // Keys are read when first needed, so that status, rollback and prepare work without them.
    Path keys = settings.trustedKeys();
    SignatureCheck signatures =
        (data, signature, file) ->
            SignatureCheck.trusting(TrustedKeys.load(keys)).verify(data, signature, file);
    return new TargetAgent(
        settings, runner, services, signatures, progress, Clock.systemUTC(), lockWait);
  }

  /** Overrides how downloads are retried (tests use short pauses). */
  public TargetAgent withRetry(RetryPolicy value) {
    this.retry = value;
    return this;
  }

  /** Deploy and upgrade also keep the proven stream files in the cache ({@code --keep-cache}). */
  public TargetAgent withKeepCache(boolean value) {
    this.keepCache = value;
    return this;
  }

  /**
   * Checks the target and creates its layout; takes no lock while it checks (the layout may not
   * exist yet). Once the root exists it is recorded in the audit log, under the lock, with whether
   * the target is ready and which checks failed.
   */
  public PrepareReport prepare(int requiredSendProtocol) throws OpdeployException {
    PrepareReport report =
        new PrepareTargetStep(
                settings, runner, requiredSendProtocol, PrepareTargetStep.DEFAULT_MIN_FREE_BYTES)
            .run();
    if (!java.nio.file.Files.isDirectory(layout.root())) {
      return report; // nothing was created: nothing to record it in
    }
    return run.locked(
        "target prepare",
        null,
        Map.of("root", layout.root().toString()),
        () -> report,
        TargetAudit::prepared);
  }

  public FetchedRelease fetch(Version version, ReleaseSource source, boolean allowDowngrade)
      throws OpdeployException {
    requireBtrfsRoot();
    // Verified means every byte: the stream files too, not only the signed index.
    return mutating(
        "fetch",
        version,
        TargetAudit.source(source),
        () -> {
          FetchedRelease fetched = fetchStep(source, allowDowngrade, false).run(version);
          verifyStep(allowDowngrade).run(fetched);
          return fetched;
        },
        TargetAudit::fetched);
  }

  public DeployResult deploy(Version version, ReleaseSource source, boolean allowDowngrade)
      throws OpdeployException {
    requireBtrfsRoot();
    return mutating(
        "deploy",
        version,
        TargetAudit.source(source),
        () -> deployStep(source, allowDowngrade).run(version),
        TargetAudit::deployed);
  }

  public ActivationResult activate(Version version) throws OpdeployException {
    return mutating(
        "activate", version, Map.of(), () -> activateStep().run(version), TargetAudit::activated);
  }

  public UpgradeResult upgrade(Version version, ReleaseSource source, boolean allowDowngrade)
      throws OpdeployException {
    requireBtrfsRoot();
    return mutating(
        "upgrade",
        version,
        TargetAudit.source(source),
        () -> {
          ActivateDeploymentStep activate = activateStep();
          UpgradeStep upgrade =
              new UpgradeStep(
                  deployStep(source, allowDowngrade),
                  activate,
                  new CheckHealthStep(runner, services),
                  manifests,
                  state,
                  journal,
                  clock,
                  settings.mount(),
                  progress);
          return upgrade.run(version);
        },
        TargetAudit::upgraded);
  }

  public ActivationResult rollback(Optional<Version> version) throws OpdeployException {
    return mutating(
        "rollback",
        version.orElse(null),
        Map.of(),
        () -> new RollbackStep(activateStep(), state).run(version),
        TargetAudit::activated);
  }

  /**
   * {@code target boot}: mounts the active, health-checked version again and starts its service
   * (last-known-good instead of a version whose health check never passed). Run at boot by {@code
   * opdeploy-boot.service}.
   */
  public Optional<BootResult> boot() throws OpdeployException {
    return run.locked(
        "target boot",
        null,
        () -> {
          Optional<RecoverInterruptedSwitchStep.Recovery> recovery = recoverStep().run(false);
          sweepStep().run(Optional.empty());
          return new BootTargetStep(activateStep(), state, progress).run(recovery);
        });
  }

  /**
   * Moves a root left at the old default ({@link TargetSettings#LEGACY_ROOT}) to the new default,
   * when this agent uses the new default and nothing is there yet. Returns whether it moved one.
   */
  public boolean migrateLegacyRoot() throws OpdeployException {
    if (!settings.root().equals(TargetSettings.DEFAULT_ROOT)) {
      return false;
    }
    return new MigrateLegacyRootStep(
            TargetSettings.LEGACY_ROOT,
            settings.root(),
            SystemdServiceManager.DEFAULT_UNIT_DIRECTORY,
            progress)
        .run();
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

  /** What {@code source} offers this target under {@code track}; reads only, takes no lock. */
  public AvailableReleases available(ReleaseSource source, Track track, boolean details)
      throws OpdeployException {
    return new ListAvailableReleasesStep(source, inventory, state.read().activeVersion(), track)
        .run(details);
  }

  public PruneResult prune(int keep) throws OpdeployException {
    return mutating(
        "target prune",
        null,
        Map.of("keep", Integer.toString(keep)),
        () -> new PruneDeploymentsStep(btrfs, layout, inventory, state, progress).run(keep),
        TargetAudit::pruned);
  }

  /**
   * Completes or undoes a switch a killed run left ({@link RecoverInterruptedSwitchStep}) and
   * sweeps what killed runs left behind, under the lock and audited as {@code recover}: what every
   * mutating command does first, on its own (for {@code target boot}). Empty when no switch was
   * pending.
   */
  public Optional<RecoverInterruptedSwitchStep.Recovery> recover() throws OpdeployException {
    return run.locked(
        "recover",
        null,
        () -> {
          Optional<RecoverInterruptedSwitchStep.Recovery> recovery = recoverStep().run();
          sweepStep().run(Optional.empty());
          return recovery;
        });
  }

  /** The step that repairs an interrupted switch; the caller holds the target lock. */
  public RecoverInterruptedSwitchStep recoverStep() {
    return new RecoverInterruptedSwitchStep(
        journal, state, inventory, activateStep(), audit, progress);
  }

  private SweepLeftoversStep sweepStep() {
    return new SweepLeftoversStep(btrfs, layout, inventory, state, progress);
  }

  /**
   * Runs a mutating command under the lock, audited at its start and end, after repairing what an
   * interrupted run left: a switch half done first, then leftovers (the command's own version keeps
   * its downloads).
   */
  private <T> T mutating(
      String command,
      Version version,
      Map<String, String> details,
      AuditedRun.Work<T> work,
      Function<? super T, Map<String, String>> outcome)
      throws OpdeployException {
    return run.locked(
        command,
        version,
        details,
        () -> {
          recoverStep().run();
          sweepStep().run(Optional.ofNullable(version));
          return work.run();
        },
        outcome);
  }

  /** Verifies the audit log; returns its entry count. Not audited itself: it only reads. */
  public int verifyAudit() throws OpdeployException {
    return new VerifyAuditStep(new AuditLog(layout.auditLog(), clock)).run();
  }

  /** A root off btrfs can never receive: refused before the lock, a download or any file. */
  private void requireBtrfsRoot() throws OpdeployException {
    BtrfsRoot.require(btrfs, layout.root());
  }

  private VerifyFetchedReleaseStep verifyStep(boolean allowDowngrade) {
    return new VerifyFetchedReleaseStep(
        signatures, new ManifestRules(clock, allowDowngrade), state);
  }

  /**
   * {@code inPlace}: a deploy reads a {@code dir:} store's streams where they lie; a fetch copies
   * them.
   */
  private FetchReleaseStep fetchStep(
      ReleaseSource source, boolean allowDowngrade, boolean inPlace) {
    return new FetchReleaseStep(
            source,
            layout,
            inventory,
            verifyStep(allowDowngrade),
            progress,
            retry,
            inPlace,
            new CheckFreeSpaceStep(layout.root()),
            inPlace)
        .checkingProtocol(new CheckSendProtocolStep(runner));
  }

  private DeployReleaseStep deployStep(ReleaseSource source, boolean allowDowngrade) {
    return new DeployReleaseStep(
        fetchStep(source, allowDowngrade, true).streaming(keepCache),
        verifyStep(allowDowngrade),
        new ReceiveDeploymentStep(btrfs, layout, inventory, state, progress),
        progress);
  }

  private ActivateDeploymentStep activateStep() {
    return new ActivateDeploymentStep(
        settings,
        inventory,
        manifests,
        new DeploymentMounts(runner),
        services,
        state,
        journal,
        clock,
        progress);
  }
}
