package org.opdeploy.seal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.error.VerificationException;
import org.opdeploy.hash.Sha256;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.manifest.Checksums;
import org.opdeploy.manifest.IndexLimits;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.progress.ProgressListener;

/**
 * Proves the signed index of a release folder, in the order that trusts nothing unproven: the
 * signature on SHA256SUMS against the trusted keys, SHA256SUMS parsed within its caps, the manifest
 * against its line in SHA256SUMS, the manifest parsed and consistent with SHA256SUMS ({@link
 * ManifestConsistency}). Build-side {@code verify} and the target both run this, so both refuse the
 * same release with the same message; what each adds (every file's digest on the build side, the
 * target's rules) comes after. Every index file is read with its fixed cap ({@link IndexLimits}).
 */
public final class SignedIndexVerifier {
  private final SignatureCheck signatures;
  private final boolean requireSignature;
  private final ProgressListener progress;

  /**
   * {@code signaturesOrNull}: without one a present signature cannot be checked (exit 2 when a
   * signature is required, else a warning and an unsigned result).
   */
  public SignedIndexVerifier(
      SignatureCheck signaturesOrNull, boolean requireSignature, ProgressListener progress) {
    this.signatures = signaturesOrNull;
    this.requireSignature = requireSignature;
    this.progress = progress;
  }

  /**
   * Proves the index in {@code dir}; {@code manifestFile} names the manifest, or null for the one
   * SHA256SUMS lists.
   */
  public SignedIndex verify(Path dir, String manifestFile) throws OpdeployException {
    byte[] sumsBytes = read(dir, AssetNames.SHA256SUMS);
    String signer = checkSignature(dir, sumsBytes);
    Map<String, String> sums = parse(sumsBytes);
    String manifestName =
        manifestFile != null ? manifestFile : ManifestConsistency.onlyManifest(dir, sums);
    byte[] manifestBytes = read(dir, manifestName);
    requireListed(sums, manifestName, Sha256.of(manifestBytes));
    Manifest manifest = ManifestConsistency.check(manifestName, manifestBytes, sums);
    return new SignedIndex(manifest, manifestName, sums, signer);
  }

  /**
   * Fails unless {@code name} is listed in SHA256SUMS with {@code actualSha256}: the one message
   * for a file whose bytes are not the ones that were signed.
   */
  public static void requireListed(Map<String, String> sums, String name, String actualSha256)
      throws VerificationException {
    String listed = sums.get(name);
    if (listed == null) {
      throw new VerificationException(
          name
              + " is not listed in "
              + AssetNames.SHA256SUMS
              + ": the release is incomplete or tampered with");
    }
    if (!Sha256.same(listed, actualSha256)) {
      throw new VerificationException(
          name
              + " does not match its SHA-256 in "
              + AssetNames.SHA256SUMS
              + ": the file is corrupt or tampered with; nothing of it was used");
    }
  }

  private String checkSignature(Path dir, byte[] sums) throws OpdeployException {
    Path signature = dir.resolve(AssetNames.SHA256SUMS_SIGNATURE);
    if (!Files.exists(signature, LinkOption.NOFOLLOW_LINKS)) {
      if (requireSignature) {
        throw new VerificationException(
            AssetNames.SHA256SUMS_SIGNATURE
                + " is missing in "
                + dir
                + " and a signed release is required");
      }
      return null;
    }
    if (signatures == null) {
      if (requireSignature) {
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
    byte[] armored = read(dir, AssetNames.SHA256SUMS_SIGNATURE);
    return signatures.verify(sums, armored, AssetNames.SHA256SUMS);
  }

  private static Map<String, String> parse(byte[] sumsBytes) throws VerificationException {
    Map<String, String> sums;
    try {
      sums = Checksums.parse(new String(sumsBytes, StandardCharsets.UTF_8), AssetNames.SHA256SUMS);
    } catch (BadInputException e) {
      throw new VerificationException(e.getMessage(), e);
    }
    for (String name : sums.keySet()) {
      if (name.equals(AssetNames.SHA256SUMS)
          || name.equals(AssetNames.SHA256SUMS_SIGNATURE)
          || name.startsWith(".")) {
        throw new VerificationException(AssetNames.SHA256SUMS + " must not list " + name);
      }
    }
    return sums;
  }

  /** An index file, refused past its fixed cap before it is read whole. */
  private static byte[] read(Path dir, String name) throws OpdeployException {
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new VerificationException(
          name + " is missing in " + dir + ": the release is incomplete or was never sealed");
    }
    return IndexLimits.read(file);
  }
}
