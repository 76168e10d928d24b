package org.opdeploy.seal;

import java.nio.file.Path;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;

/** {@code opdeploy verify DIR [--trusted-keys FILE]}: proves a release folder offline. */
public final class VerifyReleaseStep {
  private final Path dir;
  private final TrustedKeys keys;
  private final boolean requireSignature;
  private final ProgressListener progress;

  /** {@code keysOrNull}: without keys only checksums and the manifest are checked. */
  public VerifyReleaseStep(Path dir, TrustedKeys keysOrNull, boolean requireSignature) {
    this(dir, keysOrNull, requireSignature, ProgressListener.NONE);
  }

  public VerifyReleaseStep(
      Path dir, TrustedKeys keysOrNull, boolean requireSignature, ProgressListener progress) {
    this.dir = dir;
    this.keys = keysOrNull;
    this.requireSignature = requireSignature;
    this.progress = progress;
  }

  public VerifiedRelease run() throws OpdeployException {
    progress.stepStarted("verify " + dir.getFileName());
    VerifiedRelease verified = new ReleaseVerifier(keys, progress).verify(dir, requireSignature);
    progress.info(
        verified.signed()
            ? "signature by "
                + verified.signerFingerprint()
                + " is good; "
                + verified.checksums().size()
                + " files match SHA256SUMS"
            : verified.checksums().size()
                + " files match SHA256SUMS (signature "
                + (java.nio.file.Files.exists(
                        dir.resolve(org.opdeploy.manifest.AssetNames.SHA256SUMS_SIGNATURE))
                    ? "not checked: no trusted keys)"
                    : "absent: release is unsigned)"));
    progress.stepFinished("verify " + dir.getFileName());
    return verified;
  }
}
