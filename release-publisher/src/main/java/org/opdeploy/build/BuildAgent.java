package org.opdeploy.build;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.opdeploy.audit.AuditedRun;
import org.opdeploy.audit.Operator;
import org.opdeploy.btrfs.Btrfs;
import org.opdeploy.btrfs.BtrfsCli;
import org.opdeploy.container.Container;
import org.opdeploy.container.ContainerFactory;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.golden.GoldenSpec;
import org.opdeploy.golden.RefreshGoldenStep;
import org.opdeploy.golden.RefreshOptions;
import org.opdeploy.golden.RefreshResult;
import org.opdeploy.golden.SpecDigest;
import org.opdeploy.golden.ValidateGoldenStep;
import org.opdeploy.golden.ValidationReport;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.release.BuildSource;
import org.opdeploy.release.NightlyName;
import org.opdeploy.release.ReleaseRequest;
import org.opdeploy.release.ReleaseResult;
import org.opdeploy.release.SealAndPublish;
import org.opdeploy.seal.ReleaseSigner;
import org.opdeploy.seal.SealReleaseStep;
import org.opdeploy.seal.TrustedKeys;
import org.opdeploy.seal.VerifiedRelease;
import org.opdeploy.seal.VerifyReleaseStep;
import org.opdeploy.snapshot.PoolLayout;
import org.opdeploy.snapshot.PrunePlan;
import org.opdeploy.snapshot.PruneResult;
import org.opdeploy.snapshot.PruneSnapshotsStep;
import org.opdeploy.snapshot.SentManifests;
import org.opdeploy.snapshot.SnapshotCatalog;
import org.opdeploy.snapshot.SnapshotEntry;
import org.opdeploy.snapshot.SnapshotGoldenStep;
import org.opdeploy.snapshot.SnapshotResult;
import org.opdeploy.store.PruneReleasesStep;
import org.opdeploy.store.PublishRequest;
import org.opdeploy.store.PublishResult;
import org.opdeploy.store.ReleasePrunePlan;
import org.opdeploy.store.ReleaseStore;
import org.opdeploy.stream.ReleaseContext;
import org.opdeploy.stream.SendResult;
import org.opdeploy.stream.SendSettings;
import org.opdeploy.stream.SendStreamStep;
import org.opdeploy.version.Version;

/**
 * The build side wired together, as {@code TargetAgent} is the target side: one method per command,
 * each listing the steps it runs. It owns the pool layout, btrfs, the container factory, the
 * signer, and the pool's lock and audit log: every command that changes the pool runs under {@code
 * <pool>/.opdeploy/lock} with an audit line at its start and end ({@link AuditedRun}) that names
 * who ran it and what it did. The CLI parses options, builds one of these and calls it.
 */
public final class BuildAgent {
  private final PoolLayout pool;
  private final ProcessRunner runner;
  private final Btrfs btrfs;
  private final ProgressListener progress;
  private final Map<String, String> env;
  private final String signingKeyId;
  private final PoolRun poolRun;
  private ReleaseSigner signer;
  private boolean signerLoaded;
  private BuildSource source;

  /**
   * {@code env} supplies the signing key ({@code OPDEPLOY_SIGNING_KEY}, pinned by {@code
   * signingKeyId} when not null), the build source (Actions variables) and who runs ({@code
   * SUDO_USER}).
   */
  public BuildAgent(
      PoolLayout pool,
      ProcessRunner runner,
      ProgressListener progress,
      Duration lockWait,
      Map<String, String> env,
      String signingKeyId) {
    this.pool = pool;
    this.runner = runner;
    this.btrfs = new BtrfsCli(runner);
    this.progress = progress;
    this.env = Map.copyOf(env);
    this.signingKeyId = signingKeyId;
    this.poolRun =
        new PoolRun(
            pool,
            btrfs,
            progress,
            lockWait,
            Operator.of(env, System.getProperty("user.name", "?")));
  }

  /** Signs with {@code value} (may be null: unsigned) instead of the environment's key. */
  public BuildAgent withSigner(ReleaseSigner value) {
    this.signer = value;
    this.signerLoaded = true;
    return this;
  }

  /** Records {@code value} as the manifest's source instead of detecting it (the demo). */
  public BuildAgent withBuildSource(BuildSource value) {
    this.source = value;
    return this;
  }

  public PoolLayout pool() {
    return pool;
  }

  /** The signer {@code OPDEPLOY_SIGNING_KEY} configures, or null; read when first asked for. */
  public ReleaseSigner signer() throws OpdeployException {
    if (!signerLoaded) {
      signer = ReleaseSigner.fromEnvironment(env, signingKeyId);
      signerLoaded = true;
    }
    return signer;
  }

  /** Where provisioning steps run: {@code auto}, {@code nspawn} or {@code chroot}. */
  public Container container(String choice) throws OpdeployException {
    return new ContainerFactory(runner, progress).create(choice);
  }

  /**
   * The pool, for a command that reads or changes it: refused (exit 2) without root, since the pool
   * and its snapshots are root's and kept 0700, and when it is not on btrfs, naming {@code --pool}.
   */
  public PoolLayout requirePool(String command) throws OpdeployException {
    return poolRun.require(command);
  }

  public boolean goldenExists() throws OpdeployException {
    return btrfs.isSubvolume(pool.golden());
  }

  /** {@code golden refresh}: {@link RefreshGoldenStep}. */
  public RefreshResult refreshGolden(GoldenSpec spec, Container container, RefreshOptions options)
      throws OpdeployException {
    return poolRun.mutating(
        "golden refresh",
        options.version(),
        Map.of("runner", container.name()),
        () -> refreshStep(spec, container, options).run(),
        r -> Map.of("files_changed", Long.toString(r.filesChanged()), "created", "" + r.created()));
  }

  /** {@code golden validate}: {@link ValidateGoldenStep}; reads only, takes no lock. */
  public ValidationReport validateGolden(GoldenSpec spec, Container container)
      throws OpdeployException {
    return new ValidateGoldenStep(spec, pool, container, progress).run();
  }

  /** {@code snapshot VERSION}: {@link SnapshotGoldenStep}. */
  public SnapshotResult snapshot(Version version) throws OpdeployException {
    return poolRun.mutating(
        "snapshot",
        version,
        Map.of(),
        () -> new SnapshotGoldenStep(pool, btrfs, version).run(),
        r -> Map.of("to_version", version.toString(), "uuid", r.uuid()));
  }

  /** {@code list}: the versioned snapshots, oldest first; reads only. */
  public List<SnapshotEntry> snapshots() throws OpdeployException {
    requirePool("list");
    return new SnapshotCatalog(pool, btrfs).list();
  }

  /**
   * {@code send VERSION}: {@link SendStreamStep}, then {@link SealReleaseStep} from the digests
   * send took when a signer is configured. A folder a killed run left complete but unsigned is
   * signed instead of sent again. {@code spec} supplies the manifest's service, health check and
   * spec digest when there is one.
   */
  public SendResult send(SendSettings settings, Optional<GoldenSpec> spec)
      throws OpdeployException {
    ReleaseSigner signer = signer();
    Version version = settings.version();
    Path out = settings.outDir();
    String specSha256 = spec.isPresent() ? SpecDigest.of(spec.get().folder()) : null;
    // Opening the git repository takes a good part of a second: let it run beside btrfs send.
    CompletableFuture<BuildSource> detected = CompletableFuture.supplyAsync(this::buildSource);
    Supplier<ReleaseContext> context =
        () -> ManifestContext.of(spec.orElse(null), specSha256, detected.join());
    return poolRun.mutating(
        "send",
        version,
        Map.of("out", out.toString()),
        () -> {
          SendResult unsigned =
              signer == null ? null : SentFolder.completeButUnsigned(out, pool.name(), version);
          if (unsigned != null) {
            // Killed between the last rename and the signature: the streams are proven.
            progress.info(
                "the send in "
                    + out
                    + " is complete and verifies but was never signed: signing it");
            new SealReleaseStep(out, signer, progress).run();
            return unsigned;
          }
          SendResult sent = new SendStreamStep(pool, btrfs, settings, context, progress).run();
          if (signer != null) {
            // Signs from the digests send took while writing: no file is read again.
            new SealReleaseStep(out, signer, progress).withKnownDigests(sent.sha256s()).run();
          }
          return sent;
        },
        r -> BuildAudit.withSigner(BuildAudit.streams(r.manifest()), signer));
  }

  /** What {@link #prune} would delete and keep, deleting nothing ({@code --dry-run}). */
  public PrunePlan planPrune(int keep) throws OpdeployException {
    requirePool("prune");
    return PrunePlan.select(
        new SnapshotCatalog(pool, btrfs).list(), keep, new SentManifests(pool).parentsByVersion());
  }

  /** {@code prune --keep N}: {@link PruneSnapshotsStep}. */
  public PruneResult prune(int keep) throws OpdeployException {
    return poolRun.mutating(
        "prune",
        null,
        Map.of("keep", Integer.toString(keep)),
        () -> new PruneSnapshotsStep(pool, btrfs, keep, progress).run(),
        BuildAudit::pruned);
  }

  /**
   * {@code publish VERSION --dir DIR --to LOCATION}: seals the folder when unsigned and a signer is
   * configured, then publishes it only if it verifies ({@link SealAndPublish}). Recorded in the
   * pool's audit log, under its lock, when this host has a pool this user can write (root's pool
   * under sudo); otherwise it publishes unrecorded and says so.
   *
   * @param trustedKeys keys the folder's signature is checked against without a signer, or null
   * @param requireSignature refuse a folder that ends up without {@code SHA256SUMS.asc}
   * @param allowUnsigned publish a folder that stays unsigned ({@link #requireSignedOrAllowed})
   * @param installer opdeploy's .deb to attach, or null
   */
  public PublishResult publish(
      PublishRequest request,
      ReleaseStore store,
      TrustedKeys trustedKeys,
      boolean requireSignature,
      boolean allowUnsigned,
      Path installer)
      throws OpdeployException {
    requireSignedOrAllowed(request.directory(), allowUnsigned);
    ReleaseSigner signer = signer();
    AuditedRun.Work<PublishResult> work =
        () ->
            new SealAndPublish(store, signer, trustedKeys, requireSignature, progress, installer)
                .run(request);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("source", request.directory().toString());
    details.put("destination", store.describe());
    return poolRun.recordedWhenPossible(
        "publish", request.version(), details, work, BuildAudit::published);
  }

  /** What {@link #pruneReleases} would delete from {@code store} now ({@code --dry-run}). */
  public ReleasePrunePlan planReleasePrune(ReleaseStore store, int keep) throws OpdeployException {
    return new PruneReleasesStep(store, keep, progress).plan();
  }

  /**
   * {@code prune --releases --keep N --to STORE}: {@link PruneReleasesStep}, recorded in the pool's
   * audit log when this host has one this user can write (as {@code publish}).
   */
  public ReleasePrunePlan pruneReleases(ReleaseStore store, int keep) throws OpdeployException {
    return poolRun.recordedWhenPossible(
        "prune releases",
        null,
        Map.of("keep", Integer.toString(keep), "destination", store.describe()),
        () -> new PruneReleasesStep(store, keep, progress).run(),
        BuildAudit::releasesPruned);
  }

  /**
   * Refuses (exit 2) to publish a folder that would go out unsigned (no {@code SHA256SUMS.asc} and
   * no signing key to make one) unless {@code allowUnsigned}, as {@code release} does.
   */
  public void requireSignedOrAllowed(Path dir, boolean allowUnsigned) throws OpdeployException {
    if (allowUnsigned
        || signer() != null
        || Files.exists(dir.resolve(AssetNames.SHA256SUMS_SIGNATURE))) {
      return;
    }
    throw new BadInputException(
        dir
            + " is not signed and no signing key is set: set OPDEPLOY_SIGNING_KEY (armored key or"
            + " @file) to sign it, or pass --allow-unsigned to publish it unsigned");
  }

  /** The next free {@code nightly-YYYYMMDD[.N]} of today, in the pool and at {@code store}. */
  public Version nextNightly(ReleaseStore store) throws OpdeployException {
    List<Version> inPool = snapshots().stream().map(SnapshotEntry::version).toList();
    return NightlyName.choose(LocalDate.now(ZoneOffset.UTC), inPool, store.versions());
  }

  /** What one {@code release} builds, once its version is known (a nightly's is chosen late). */
  @FunctionalInterface
  public interface ReleaseFor {
    ReleaseRequest request(Version version) throws OpdeployException;
  }

  /**
   * {@code release VERSION|--nightly --to LOCATION}: refresh → validate → snapshot → send → seal →
   * publish, under one lock. A rerun after a failure resumes: an existing snapshot of the version
   * is reused (snapshots are immutable, so it is exactly what was built), a complete send folder
   * that still verifies is reused, and publishing completes the same release. Once published, the
   * release's folder in the pool is removed: the store holds the release, and eight kept folders
   * once filled a 4 GiB pool. {@code version} empty: the next nightly, chosen under the lock.
   */
  public ReleaseResult release(
      Optional<Version> version,
      ReleaseStore store,
      ReleaseFor requestFor,
      GoldenSpec spec,
      Container container)
      throws OpdeployException {
    ReleaseSigner signer = signer();
    return poolRun.mutating(
        "release",
        version.orElse(null), // a nightly's version is chosen under the lock: see to_version
        version.isPresent()
            ? Map.of("destination", store.describe(), "runner", container.name())
            : Map.of(
                "destination", store.describe(), "runner", container.name(), "nightly", "true"),
        () -> {
          Version v = version.isPresent() ? version.get() : nextNightly(store);
          return new ReleaseRun(pool, btrfs, progress, this::buildSource)
              .run(requestFor.request(v), spec, container, signer);
        },
        r -> {
          Map<String, String> details = new HashMap<>(BuildAudit.streams(r.manifest()));
          details.putAll(BuildAudit.published(r.published()));
          return BuildAudit.withSigner(details, signer);
        });
  }

  /** {@code verify DIR}: the offline check a target makes ({@link VerifyReleaseStep}). */
  public static VerifiedRelease verifyFolder(
      Path dir, TrustedKeys keys, boolean requireSignature, ProgressListener progress)
      throws OpdeployException {
    return new VerifyReleaseStep(dir, keys, requireSignature, progress).run();
  }

  /** Signs a release folder: SHA256SUMS and its signature ({@link SealReleaseStep}). */
  public static void sealFolder(Path dir, ReleaseSigner signer, ProgressListener progress)
      throws OpdeployException {
    new SealReleaseStep(dir, signer, progress).run();
  }

  /**
   * Refuses (exit 2) to start a command that changes subvolumes, mounts or services without root:
   * btrfs-progs would otherwise fail halfway with a bare "Operation not permitted".
   */
  public static void requireRoot(String command) throws BadInputException {
    PoolRun.requireRoot(command);
  }

  /** The git commit and tag being built: from the Actions variables or the working folder. */
  private BuildSource buildSource() {
    return source != null ? source : BuildSource.detect(env, Path.of("").toAbsolutePath());
  }

  private RefreshGoldenStep refreshStep(
      GoldenSpec spec, Container container, RefreshOptions options) {
    return new RefreshGoldenStep(spec, pool, btrfs, container, options, progress);
  }
}
