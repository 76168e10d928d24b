package org.opdeploy.build;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.opdeploy.btrfs.Btrfs;
import org.opdeploy.container.Container;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.golden.GoldenSpec;
import org.opdeploy.golden.RefreshGoldenStep;
import org.opdeploy.golden.RefreshOptions;
import org.opdeploy.golden.SpecDigest;
import org.opdeploy.golden.ValidateGoldenStep;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.release.BuildSource;
import org.opdeploy.release.ReleaseRequest;
import org.opdeploy.release.ReleaseResult;
import org.opdeploy.release.SealAndPublish;
import org.opdeploy.seal.ReleaseSigner;
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
 * The steps of one {@code release}, in order, for {@link BuildAgent#release} (which holds the lock
 * and audits it): refresh, validate and snapshot unless the version's snapshot exists; send unless
 * a complete folder of an earlier run still verifies; then seal and publish from the digests send
 * took, and remove the folder once the release is public.
 */
final class ReleaseRun {
  private final PoolLayout pool;
  private final Btrfs btrfs;
  private final ProgressListener progress;
  private final Supplier<BuildSource> source;

  ReleaseRun(
      PoolLayout pool, Btrfs btrfs, ProgressListener progress, Supplier<BuildSource> source) {
    this.pool = pool;
    this.btrfs = btrfs;
    this.progress = progress;
    this.source = source;
  }

  ReleaseResult run(
      ReleaseRequest request, GoldenSpec spec, Container container, ReleaseSigner signer)
      throws OpdeployException {
    ReleaseTimings timings = new ReleaseTimings();
    Version version = request.version();
    if (btrfs.isSubvolume(pool.snapshot(version))) {
      progress.info("snapshot " + pool.snapshot(version) + " exists: resuming after it");
    } else {
      RefreshOptions options = new RefreshOptions(request.stepTimeout(), version);
      timings.time(
          "refresh",
          () -> new RefreshGoldenStep(spec, pool, btrfs, container, options, progress).run());
      timings.time(
          "validate",
          () -> {
            new ValidateGoldenStep(spec, pool, container, progress).run().requirePassed();
            return null;
          });
      timings.time("snapshot", () -> new SnapshotGoldenStep(pool, btrfs, version).run());
    }
    Path folder = pool.releaseFolder(version);
    // The digests of every file, taken by send as it wrote them (or by the check of a reused
    // folder): seal and publish do not read the files again.
    VerifiedRelease reused = SentFolder.reusable(folder, progress);
    Manifest manifest;
    Map<String, String> digests;
    if (reused == null) {
      SendResult sent =
          timings.time(
              "send",
              () -> {
                SentFolder.clear(folder);
                ReleaseContext context =
                    ManifestContext.of(spec, SpecDigest.of(spec), source.get());
                SendSettings settings =
                    SendSettings.of(version, folder)
                        .withParent(request.parent())
                        .withCompression(request.compression())
                        .withMaxAssetBytes(request.maxAssetBytes())
                        .withProtocol(request.protocol());
                return new SendStreamStep(pool, btrfs, settings, context, progress).run();
              });
      manifest = sent.manifest();
      digests = sent.sha256s();
    } else {
      progress.info("streams in " + folder + " are complete and verify: reusing them");
      manifest = reused.manifest();
      digests = reused.checksums();
    }
    PublishRequest publish =
        new PublishRequest(
            version,
            folder,
            version.toString(),
            request.notes(),
            request.draft(),
            version.isPrerelease());
    PublishResult published =
        timings.time(
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
        SentFolder.clear(folder);
        progress.info("published to " + request.store().describe() + ": removed " + folder);
      } catch (OpdeployException e) {
        progress.warn("published, but " + e.getMessage() + "; remove it by hand");
      }
    }
    return new ReleaseResult(
        manifest, folder, published, signer == null ? null : signer.fingerprint(), timings.all());
  }
}
