package org.opdeploy.seal;

import java.io.IOException;
import java.nio.file.Files;
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

/**
 * The rules that tie a release folder together once its files match SHA256SUMS: each {@code
 * .sha256} file agrees with SHA256SUMS, the manifest is consistent with SHA256SUMS ({@link
 * ManifestConsistency}, the rules the target applies too), and every stream file it lists is in the
 * folder with its size.
 */
final class ReleaseConsistency {
  private ReleaseConsistency() {}

  /**
   * {@code sums} maps every listed file to its (already checked) SHA-256; the manifest is the one
   * they list (sealing: nothing is signed yet).
   */
  static Manifest check(Path dir, Map<String, String> sums) throws VerificationException {
    checkSidecars(dir, sums);
    String manifestName = ManifestConsistency.onlyManifest(dir, sums);
    byte[] bytes;
    try {
      bytes = IndexLimits.read(dir.resolve(manifestName));
    } catch (VerificationException e) {
      throw e;
    } catch (OpdeployException e) {
      throw new VerificationException(e.getMessage(), e);
    }
    Manifest manifest = ManifestConsistency.check(manifestName, bytes, sums);
    checkSizes(dir, manifestName, manifest);
    return manifest;
  }

  /**
   * The folder's part of {@link #check} for an index already proven by {@link SignedIndexVerifier}.
   */
  static void checkFolder(Path dir, SignedIndex index) throws VerificationException {
    checkSidecars(dir, index.checksums());
    checkSizes(dir, index.manifestFile(), index.manifest());
  }

  private static void checkSizes(Path dir, String manifestName, Manifest manifest)
      throws VerificationException {
    for (Manifest.Stream stream : manifest.streams()) {
      for (Manifest.StreamFile file : stream.files()) {
        long size = sizeOf(dir.resolve(file.name()));
        if (size != file.size()) {
          throw new VerificationException(
              file.name() + " is " + size + " bytes but " + manifestName + " says " + file.size());
        }
      }
    }
  }

  private static void checkSidecars(Path dir, Map<String, String> sums)
      throws VerificationException {
    for (String name : sums.keySet()) {
      if (!name.endsWith(AssetNames.CHECKSUM_SUFFIX)) {
        continue;
      }
      String subject = name.substring(0, name.length() - AssetNames.CHECKSUM_SUFFIX.length());
      Map<String, String> entries;
      try {
        entries = Checksums.read(dir.resolve(name));
      } catch (BadInputException e) {
        throw new VerificationException(e.getMessage(), e);
      } catch (IOException e) {
        throw new VerificationException("cannot read " + name + ": " + e.getMessage(), e);
      }
      if (entries.size() != 1 || !entries.containsKey(subject)) {
        throw new VerificationException(name + " must hold exactly one line, for " + subject);
      }
      if (!sums.containsKey(subject)) {
        throw new VerificationException(
            name + " is for " + subject + ", which SHA256SUMS does not list");
      }
      if (!Sha256.same(entries.get(subject), sums.get(subject))) {
        throw new VerificationException(name + " disagrees with SHA256SUMS about " + subject);
      }
    }
  }

  private static long sizeOf(Path file) throws VerificationException {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new VerificationException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
