package org.opdeploy.seal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.hash.FileDigests;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.manifest.Checksums;
import org.opdeploy.progress.ProgressListener;

/**
 * Seals a release folder written by {@code send}: hashes every file once (or takes the digests
 * {@code send} took while writing, {@link #withKnownDigests}), checks the {@code .sha256} files and
 * the manifest against those hashes, writes SHA256SUMS (atomically) and, with a signer,
 * SHA256SUMS.asc. Without a signer a signature left from an earlier seal is removed when SHA256SUMS
 * changed, because it no longer signs anything true.
 */
public final class SealReleaseStep {
  private final Path dir;
  private final ReleaseSigner signer;
  private final ProgressListener progress;
  private Map<String, String> known = Map.of();

  /** {@code signerOrNull}: null seals with checksums only. */
  public SealReleaseStep(Path dir, ReleaseSigner signerOrNull) {
    this(dir, signerOrNull, ProgressListener.NONE);
  }

  public SealReleaseStep(Path dir, ReleaseSigner signerOrNull, ProgressListener progress) {
    this.dir = dir;
    this.signer = signerOrNull;
    this.progress = progress;
  }

  /**
   * The SHA-256 of files this run wrote, taken as it wrote them ({@code send}): those files are not
   * read again. Files not in {@code digests} are hashed.
   */
  public SealReleaseStep withKnownDigests(Map<String, String> digests) {
    this.known = Map.copyOf(digests);
    return this;
  }

  public SealResult run() throws OpdeployException {
    progress.stepStarted("seal " + dir.getFileName());
    List<String> files = ReleaseFolder.coveredFiles(dir);
    Map<String, String> sums = FileDigests.complete(dir, files, known, progress);
    ReleaseConsistency.check(dir, sums);
    byte[] rendered = Checksums.render(sums).getBytes(StandardCharsets.UTF_8);
    Path sumsFile = dir.resolve(AssetNames.SHA256SUMS);
    Path signatureFile = dir.resolve(AssetNames.SHA256SUMS_SIGNATURE);
    boolean changed = !Arrays.equals(rendered, readIfPresent(sumsFile));
    if (changed) {
      AtomicFiles.write(sumsFile, rendered, written -> {});
    }
    Path signature = null;
    String fingerprint = null;
    if (signer != null) {
      signer.sign(dir);
      signature = signatureFile;
      fingerprint = signer.fingerprint();
      progress.info(
          "signed " + AssetNames.SHA256SUMS + " with key " + signer.signingKeyFingerprint());
    } else if (Files.exists(signatureFile)) {
      if (changed) {
        delete(signatureFile);
        progress.warn(
            "removed the stale "
                + AssetNames.SHA256SUMS_SIGNATURE
                + ": "
                + AssetNames.SHA256SUMS
                + " changed and no signing key is configured");
      } else {
        signature = signatureFile;
      }
    }
    progress.stepFinished("seal " + dir.getFileName());
    return new SealResult(sumsFile, signature, fingerprint, files);
  }

  private static byte[] readIfPresent(Path file) throws OpdeployException {
    try {
      return Files.exists(file) ? Files.readAllBytes(file) : null;
    } catch (IOException e) {
      throw new OpdeployException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void delete(Path file) throws OpdeployException {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new OpdeployException("cannot remove " + file + ": " + e.getMessage(), e);
    }
  }
}
