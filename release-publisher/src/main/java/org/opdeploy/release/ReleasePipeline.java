package org.opdeploy.release;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opdeploy.btrfs.Btrfs;
import org.opdeploy.container.Container;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.golden.GoldenSpec;
import org.opdeploy.golden.RefreshGoldenStep;
import org.opdeploy.golden.RefreshOptions;
import org.opdeploy.golden.SpecDigest;
import org.opdeploy.golden.ValidateGoldenStep;
import org.opdeploy.io.FileTrees;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.seal.ReleaseSigner;
import org.opdeploy.seal.ReleaseVerifier;
import org.opdeploy.seal.VerifiedRelease;
import org.opdeploy.snapshot.PoolLayout;
import org.opdeploy.snapshot.SnapshotGoldenStep;
import org.opdeploy.store.PublishRequest;
import org.opdeploy.store.PublishResult;
import org.opdeploy.stream.ReleaseContext;
import org.opdeploy.stream.SendResult;
import org.opdeploy.stream.SendSettings;
import org.opdeploy.stream.SendStreamStep;
import org.opdeploy.version.Version;

/**
 * {@code opdeploy release}: refresh → validate → snapshot → send → seal → publish, as one command.
 * A rerun after a failure resumes: an existing snapshot of the version is reused (snapshots are
 * immutable, so it is exactly what was built), a complete send folder that still verifies is
 * reused, and publishing completes the same release. Once published, the release's folder in the
 * pool is removed: the store holds the release, and eight kept folders once filled a 4 GiB pool.
 */
public final class ReleasePipeline {
  private final PoolLayout pool;
  private final Btrfs btrfs;
  private final GoldenSpec spec;
  private final Container container;
  private final ReleaseSigner signer;
  private final BuildSource source;
  private final ProgressListener progress;

  public ReleasePipeline(
      PoolLayout pool,
      Btrfs btrfs,
      GoldenSpec spec,
      Container container,
      ReleaseSigner signer,
      BuildSource source,
      ProgressListener progress) {
    this.pool = pool;
    this.btrfs = btrfs;
    this.spec = spec;
    this.container = container;
    this.signer = signer;
    this.source = source;
    this.progress = progress;
  }

  /** Where a release's streams are written and sealed: {@code <pool>/.opdeploy/releases/<V>}. */
  public static Path releaseFolder(PoolLayout pool, Version version) {
    return pool.releaseFolder(version);
  }

  public ReleaseResult run(ReleaseRequest request) throws OpdeployException {
    Map<String, Duration> timings = new LinkedHashMap<>();
    if (btrfs.isSubvolume(pool.snapshot(request.version()))) {
      progress.info("snapshot " + pool.snapshot(request.version()) + " exists: resuming after it");
    } else {
      timed(
          timings,
          "refresh",
          () ->
              new RefreshGoldenStep(
                      spec,
                      pool,
                      btrfs,
                      container,
                      new RefreshOptions(request.stepTimeout(), request.version()),
                      progress)
                  .run());
      timed(
          timings,
          "validate",
          () -> {
            new ValidateGoldenStep(spec, pool, container, progress).run().requirePassed();
            return null;
          });
      timed(
          timings, "snapshot", () -> new SnapshotGoldenStep(pool, btrfs, request.version()).run());
    }
    Path folder = releaseFolder(pool, request.version());
    // The digests of every file, taken by send as it wrote them (or by the check of a reused
    // folder): seal and publish do not read the files again.
    VerifiedRelease reused = reusableSend(folder);
    Manifest manifest;
    Map<String, String> digests;
    if (reused == null) {
      SendResult sent = timed(timings, "send", () -> send(request, folder));
      manifest = sent.manifest();
      digests = sent.sha256s();
    } else {
      progress.info("streams in " + folder + " are complete and verify: reusing them");
      manifest = reused.manifest();
      digests = reused.checksums();
    }
    PublishRequest publish =
        new PublishRequest(
            request.version(),
            folder,
            request.version().toString(),
            request.notes(),
            request.draft(),
            request.version().isPrerelease());
    PublishResult published =
        timed(
            timings,
            "publish",
            () ->
                new SealAndPublish(
                        request.store(),
                        signer,
                        null,
                        request.requireSignature(),
                        progress,
                        request.installer())
                    .withKnownDigests(digests)
                    .run(publish));
    if (!published.draft()) {
      // A draft keeps its folder: publishing it later needs the files.
      try {
        clear(folder);
        progress.info("published to " + request.store().describe() + ": removed " + folder);
      } catch (OpdeployException e) {
        progress.warn("published, but " + e.getMessage() + "; remove it by hand");
      }
    }
    return new ReleaseResult(
        manifest, folder, published, signer == null ? null : signer.fingerprint(), timings);
  }

  private SendResult send(ReleaseRequest request, Path folder) throws OpdeployException {
    clear(folder);
    ReleaseContext context =
        new ReleaseContext(
                spec.service(),
                spec.health() == null
                    ? null
                    : new Manifest.Health(
                        spec.health().command(), spec.health().timeout().toSeconds()),
                SpecDigest.of(spec),
                source.commit(),
                source.tag(),
                null)
            .withServiceAccount(spec.serviceAccount());
    SendSettings settings =
        SendSettings.of(request.version(), folder)
            .withParent(request.parent())
            .withCompression(request.compression())
            .withMaxAssetBytes(request.maxAssetBytes())
            .withProtocol(request.protocol());
    return new SendStreamStep(pool, btrfs, settings, context, progress).run();
  }

  /** A finished send in {@code folder} whose files still verify, else null. */
  private VerifiedRelease reusableSend(Path folder) {
    try {
      Path sums = folder.resolve(AssetNames.SHA256SUMS);
      if (!Files.isRegularFile(sums)) {
        return null;
      }
      return new ReleaseVerifier(null, progress).verify(folder, false);
    } catch (OpdeployException e) {
      progress.info(
          "streams in " + folder + " are incomplete (" + e.getMessage() + "): sending again");
      return null;
    }
  }

  private static void clear(Path folder) throws OpdeployException {
    FileTrees.deleteTree(folder);
  }

  @FunctionalInterface
  private interface Step<T> {
    T run() throws OpdeployException;
  }

  private <T> T timed(Map<String, Duration> timings, String name, Step<T> step)
      throws OpdeployException {
    long start = System.nanoTime();
    T result = step.run();
    timings.put(name, Duration.ofNanos(System.nanoTime() - start));
    return result;
  }
}
