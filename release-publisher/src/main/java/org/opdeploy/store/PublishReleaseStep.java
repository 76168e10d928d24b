package org.opdeploy.store;

import java.util.Map;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.error.VerificationException;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.seal.ReleaseVerifier;
import org.opdeploy.seal.TrustedKeys;
import org.opdeploy.seal.VerifiedRelease;
import org.opdeploy.version.Version;

/**
 * Publishes a sealed release folder to any {@link ReleaseStore}, but only one that verifies:
 * checksums and manifest always, the signature when present (against {@code keysOrNull}), and a
 * missing signature is fatal when {@code requireSignature}. Nothing reaches the store otherwise.
 */
public final class PublishReleaseStep {
  private final ReleaseStore store;
  private final PublishRequest request;
  private final TrustedKeys keys;
  private final boolean requireSignature;
  private final ProgressListener progress;
  private Map<String, String> known = Map.of();

  /**
   * {@code keysOrNull}: the keys a present SHA256SUMS.asc must verify against, typically {@code
   * signer.certificate()} right after sealing; without keys a signature is not checked.
   */
  public PublishReleaseStep(
      ReleaseStore store,
      PublishRequest request,
      TrustedKeys keysOrNull,
      boolean requireSignature,
      ProgressListener progress) {
    this.store = store;
    this.request = request;
    this.keys = keysOrNull;
    this.requireSignature = requireSignature;
    this.progress = progress;
  }

  /** Digests taken as this run wrote the folder: its files are not read again to verify them. */
  public PublishReleaseStep withKnownDigests(Map<String, String> digests) {
    this.known = Map.copyOf(digests);
    return this;
  }

  public PublishResult run() throws OpdeployException {
    String step = "publish " + request.version() + " to " + store.describe();
    progress.stepStarted(step);
    VerifiedRelease verified =
        new ReleaseVerifier(keys, progress)
            .withKnownDigests(known)
            .verify(request.directory(), requireSignature);
    Version version = verified.manifest().version();
    if (!version.equals(request.version())) {
      throw new VerificationException(
          request.directory()
              + " holds release "
              + version
              + ", not "
              + request.version()
              + ": publish it as "
              + version
              + " or pick the right folder");
    }
    PublishResult result = store.publish(request, progress);
    progress.info(
        step
            + ": "
            + result.uploaded().size()
            + " uploaded, "
            + result.skipped().size()
            + " already there"
            + (verified.signed() ? ", signed by " + verified.signerFingerprint() : ", unsigned"));
    progress.stepFinished(step);
    return result;
  }
}
