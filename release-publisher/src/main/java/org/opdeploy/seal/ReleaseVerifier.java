package org.opdeploy.seal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.error.VerificationException;
import org.opdeploy.hash.FileDigests;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.progress.ProgressListener;

/**
 * Proves a release folder authentic and whole, offline, in the order that trusts nothing unproven:
 * the signed index ({@link SignedIndexVerifier}, the same check a target runs), then every file
 * against SHA256SUMS (and the {@code .sha256} files against it), then the manifest's sizes against
 * the files.
 */
public final class ReleaseVerifier {
  private final TrustedKeys keys;
  private final ProgressListener progress;
  private Map<String, String> known = Map.of();

  /**
   * {@code keysOrNull}: without keys a present signature cannot be checked and is reported
   * unsigned.
   */
  public ReleaseVerifier(TrustedKeys keysOrNull) {
    this(keysOrNull, ProgressListener.NONE);
  }

  public ReleaseVerifier(TrustedKeys keysOrNull, ProgressListener progress) {
    this.keys = keysOrNull;
    this.progress = progress;
  }

  /**
   * Digests taken as this run wrote the files ({@code send}): compared with SHA256SUMS instead of
   * reading those files again. Only for a folder this process just wrote; what was uploaded is
   * proven afterwards by the store (GitHub's asset digest, the {@code dir:} store's hash of its
   * copy).
   */
  public ReleaseVerifier withKnownDigests(Map<String, String> digests) {
    this.known = Map.copyOf(digests);
    return this;
  }

  /**
   * Checks {@code dir}; exit 3 on any failure naming the file, exit 2 when the folder is missing or
   * a signature is required but no trusted keys were given.
   */
  public VerifiedRelease verify(Path dir, boolean requireSignature) throws OpdeployException {
    List<String> present = ReleaseFolder.coveredFiles(dir);
    SignedIndex index =
        new SignedIndexVerifier(
                keys == null ? null : SignatureCheck.trusting(keys), requireSignature, progress)
            .verify(dir, null);
    Map<String, String> sums = index.checksums();
    checkListing(dir, present, sums);
    FileDigests.requireEqual(
        sums,
        FileDigests.complete(dir, new ArrayList<>(sums.keySet()), known, progress),
        AssetNames.SHA256SUMS);
    ReleaseConsistency.checkFolder(dir, index);
    return new VerifiedRelease(index.manifest(), index.signer(), sums);
  }

  private static void checkListing(Path dir, List<String> present, Map<String, String> sums)
      throws VerificationException {
    for (String name : sums.keySet()) {
      if (!present.contains(name)) {
        throw new VerificationException(
            name + " is listed in " + AssetNames.SHA256SUMS + " but missing in " + dir);
      }
    }
    for (String name : present) {
      if (!sums.containsKey(name)) {
        throw new VerificationException(
            name
                + " is in "
                + dir
                + " but not listed in "
                + AssetNames.SHA256SUMS
                + ": remove it or re-seal the release");
      }
    }
  }
}
