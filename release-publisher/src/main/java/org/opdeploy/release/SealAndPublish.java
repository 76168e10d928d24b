package org.opdeploy.release;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.seal.ReleaseSigner;
import org.opdeploy.seal.SealReleaseStep;
import org.opdeploy.seal.TrustedKeys;
import org.opdeploy.store.PublishReleaseStep;
import org.opdeploy.store.PublishRequest;
import org.opdeploy.store.PublishResult;
import org.opdeploy.store.ReleaseStore;

/**
 * The last two steps of a release, shared by {@code publish} and {@code release}: seal the folder
 * when it is not signed yet and a signer is configured, then publish it — only if it verifies,
 * against the signer's own certificate or else the given trusted keys.
 */
public final class SealAndPublish {
  private final ReleaseStore store;
  private final ReleaseSigner signer;
  private final TrustedKeys trustedKeys;
  private final boolean requireSignature;
  private final ProgressListener progress;
  private final Path installer;
  private Map<String, String> known = Map.of();

  /** {@code signerOrNull} and {@code trustedKeysOrNull} may each be absent. */
  public SealAndPublish(
      ReleaseStore store,
      ReleaseSigner signerOrNull,
      TrustedKeys trustedKeysOrNull,
      boolean requireSignature,
      ProgressListener progress) {
    this(store, signerOrNull, trustedKeysOrNull, requireSignature, progress, null);
  }

  /**
   * As above, attaching opdeploy's {@code installerOrNull} (.deb) to the release before sealing.
   */
  public SealAndPublish(
      ReleaseStore store,
      ReleaseSigner signerOrNull,
      TrustedKeys trustedKeysOrNull,
      boolean requireSignature,
      ProgressListener progress,
      Path installerOrNull) {
    this.installer = installerOrNull;
    this.store = store;
    this.signer = signerOrNull;
    this.trustedKeys = trustedKeysOrNull;
    this.requireSignature = requireSignature;
    this.progress = progress;
  }

  /**
   * The SHA-256 {@code send} took of each file as it wrote the folder in this run: seal signs from
   * them and publish compares them with SHA256SUMS, neither reads the files again; GitHub's digest
   * of each uploaded asset (or the {@code dir:} store's hash of its copy) proves the bytes that
   * arrived before the release is published.
   */
  public SealAndPublish withKnownDigests(Map<String, String> digests) {
    this.known = Map.copyOf(digests);
    return this;
  }

  public PublishResult run(PublishRequest request) throws OpdeployException {
    Path dir = request.directory();
    if (installer != null && new AttachInstallerStep(installer).run(dir, signer != null)) {
      progress.info("attached " + installer.getFileName() + " to " + request.version());
    }
    if (signer != null && !Files.exists(dir.resolve(AssetNames.SHA256SUMS_SIGNATURE))) {
      // SealReleaseStep announces "seal V" itself: a second step of the same name around it
      // showed twice on a terminal and as a nested, repeated group in Actions.
      new SealReleaseStep(dir, signer, progress).withKnownDigests(known).run();
    }
    TrustedKeys keys = signer != null ? signer.certificate() : trustedKeys;
    if (keys == null && Files.exists(dir.resolve(AssetNames.SHA256SUMS_SIGNATURE))) {
      progress.warn(
          dir.resolve(AssetNames.SHA256SUMS_SIGNATURE)
              + " is not checked: configure"
              + " trusted-keys or a signing key to verify it before publishing");
    }
    return new PublishReleaseStep(store, request, keys, requireSignature, progress)
        .withKnownDigests(known)
        .run();
  }
}
