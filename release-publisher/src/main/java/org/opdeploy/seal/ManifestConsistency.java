package org.opdeploy.seal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.VerificationException;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.manifest.Compression;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.manifest.ManifestCodec;
import org.opdeploy.version.Version;

/**
 * The rules that tie a manifest to SHA256SUMS, the same on both sides: there is one manifest, named
 * for the payload and version it holds; it lists streams named as {@code send} names them, and
 * SHA256SUMS lists every stream file with the manifest's SHA-256. Any failure is exit 3.
 */
final class ManifestConsistency {
  private static final String MANIFEST_SUFFIX = ".manifest.json";

  private ManifestConsistency() {}

  /** The one manifest SHA256SUMS lists; {@code dir} names where, for the message. */
  static String onlyManifest(Path dir, Map<String, String> sums) throws VerificationException {
    List<String> manifests =
        sums.keySet().stream().filter(n -> n.endsWith(MANIFEST_SUFFIX)).toList();
    if (manifests.size() != 1) {
      throw new VerificationException(
          dir
              + " must hold exactly one *.manifest.json listed in SHA256SUMS, found "
              + (manifests.isEmpty() ? "none" : String.join(", ", manifests)));
    }
    return manifests.get(0);
  }

  /** Parses manifest {@code manifestName} and checks it against {@code sums}. */
  static Manifest check(String manifestName, byte[] bytes, Map<String, String> sums)
      throws VerificationException {
    Manifest manifest;
    try {
      manifest = ManifestCodec.decode(bytes, manifestName);
    } catch (BadInputException e) {
      throw new VerificationException(named(manifestName, e.getMessage()), e);
    }
    try {
      AssetNames.checkName(manifest.name());
    } catch (BadInputException e) {
      throw new VerificationException(
          manifestName + " names an invalid payload '" + manifest.name() + "'", e);
    }
    Version version = manifest.version();
    String expected = AssetNames.manifest(manifest.name(), version);
    if (!expected.equals(manifestName)) {
      throw new VerificationException(
          manifestName
              + " describes "
              + manifest.name()
              + " "
              + version
              + ", so it must be named "
              + expected);
    }
    if (manifest.streams().isEmpty()) {
      throw new VerificationException(manifestName + " lists no streams");
    }
    for (Manifest.Stream stream : manifest.streams()) {
      checkStream(sums, manifestName, manifest.name(), version, stream);
    }
    return manifest;
  }

  private static void checkStream(
      Map<String, String> sums,
      String manifestName,
      String name,
      Version version,
      Manifest.Stream stream)
      throws VerificationException {
    String suffix =
        stream.compression() != null
                && stream.compression().startsWith(Compression.NONE.algorithm())
            ? Compression.NONE.suffix()
            : Compression.zstd(Compression.DEFAULT_ZSTD_LEVEL).suffix();
    String base;
    if (stream.isFull()) {
      base = name + "-" + version + ".send" + suffix;
    } else if (Manifest.Stream.INCREMENTAL.equals(stream.kind()) && stream.parent() != null) {
      base = name + "-" + version + "-from-" + stream.parent().version() + ".send" + suffix;
    } else {
      throw new VerificationException(
          manifestName
              + " has a stream of kind '"
              + stream.kind()
              + "' (expected full, or incremental with a parent)");
    }
    List<Manifest.StreamFile> files = stream.files();
    if (files.isEmpty()) {
      throw new VerificationException(manifestName + " lists no files for " + base);
    }
    for (int i = 0; i < files.size(); i++) {
      Manifest.StreamFile file = files.get(i);
      boolean named =
          files.size() == 1 && file.name().equals(base)
              || file.name().equals(AssetNames.part(base, i));
      if (!named) {
        throw new VerificationException(
            manifestName
                + " lists "
                + file.name()
                + " where "
                + (files.size() == 1 ? base + " or " : "")
                + AssetNames.part(base, i)
                + " belongs");
      }
      String listed = sums.get(file.name());
      if (listed == null) {
        throw new VerificationException(
            file.name()
                + " is in "
                + manifestName
                + " but not listed in "
                + AssetNames.SHA256SUMS
                + ": the release is incomplete or tampered with");
      }
      if (!org.opdeploy.hash.Sha256.same(listed, file.sha256())) {
        throw new VerificationException(
            file.name()
                + " does not match the sha256 in "
                + manifestName
                + ": "
                + AssetNames.SHA256SUMS
                + " and the manifest disagree; the release is broken or tampered with");
      }
    }
  }

  private static String named(String manifestName, String message) {
    return message.startsWith(manifestName) ? message : manifestName + ": " + message;
  }
}
