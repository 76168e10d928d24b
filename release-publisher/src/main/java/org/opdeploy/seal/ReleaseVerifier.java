package org.opdeploy.seal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.error.VerificationException;
import org.opdeploy.hash.FileDigests;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.manifest.Checksums;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.progress.ProgressListener;

/**
 * Proves a release folder authentic and whole, offline, in the order that trusts nothing unproven:
 * the signature on SHA256SUMS against the trusted keys, then every file against SHA256SUMS (and the
 * {@code .sha256} files against it), then the manifest against the files.
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
    byte[] sumsBytes = readSums(dir);
    String signer = checkSignature(dir, sumsBytes, requireSignature);
    Map<String, String> sums;
    try {
      sums = Checksums.parse(new String(sumsBytes, StandardCharsets.UTF_8), AssetNames.SHA256SUMS);
    } catch (BadInputException e) {
      throw new VerificationException(e.getMessage(), e);
    }
    checkListing(dir, present, sums);
    FileDigests.requireEqual(
        sums,
        FileDigests.complete(dir, new ArrayList<>(sums.keySet()), known, progress),
        AssetNames.SHA256SUMS);
    Manifest manifest = ReleaseConsistency.check(dir, sums);
    return new VerifiedRelease(manifest, signer, sums);
  }

  private static byte[] readSums(Path dir) throws OpdeployException {
    try {
      return Files.readAllBytes(dir.resolve(AssetNames.SHA256SUMS));
    } catch (NoSuchFileException e) {
      throw new VerificationException(
          AssetNames.SHA256SUMS
              + " is missing in "
              + dir
              + ": the release is incomplete or was never sealed");
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot read " + dir.resolve(AssetNames.SHA256SUMS) + ": " + e.getMessage(), e);
    }
  }

  private String checkSignature(Path dir, byte[] sums, boolean required) throws OpdeployException {
    Path signature = dir.resolve(AssetNames.SHA256SUMS_SIGNATURE);
    if (!Files.exists(signature)) {
      if (required) {
        throw new VerificationException(
            AssetNames.SHA256SUMS_SIGNATURE
                + " is missing in "
                + dir
                + " and a signed release is required");
      }
      return null;
    }
    if (keys == null) {
      if (required) {
        throw new BadInputException(
            "cannot check "
                + AssetNames.SHA256SUMS_SIGNATURE
                + " without trusted keys: pass --trusted-keys FILE");
      }
      progress.warn(
          AssetNames.SHA256SUMS_SIGNATURE
              + " in "
              + dir
              + " was not checked: no trusted keys given");
      return null;
    }
    byte[] armored;
    try {
      armored = Files.readAllBytes(signature);
    } catch (IOException e) {
      throw new OpdeployException("cannot read " + signature + ": " + e.getMessage(), e);
    }
    return new SignatureVerifier(keys).verify(sums, armored, AssetNames.SHA256SUMS_SIGNATURE);
  }

  private static void checkListing(Path dir, List<String> present, Map<String, String> sums)
      throws VerificationException {
    for (String name : sums.keySet()) {
      if (name.equals(AssetNames.SHA256SUMS)
          || name.equals(AssetNames.SHA256SUMS_SIGNATURE)
          || name.startsWith(".")) {
        throw new VerificationException(AssetNames.SHA256SUMS + " must not list " + name);
      }
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
