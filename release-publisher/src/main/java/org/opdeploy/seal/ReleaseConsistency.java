package org.opdeploy.seal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.VerificationException;
import org.opdeploy.hash.Sha256;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.manifest.Checksums;
import org.opdeploy.manifest.Compression;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.manifest.ManifestCodec;
import org.opdeploy.version.Version;

/**
 * The rules that tie a release folder together once its files match SHA256SUMS: each {@code
 * .sha256} file agrees with SHA256SUMS, there is exactly one manifest, named for the name and
 * version it holds, and every stream file it lists is there with its size and SHA-256.
 */
final class ReleaseConsistency {
  private ReleaseConsistency() {}

  /** {@code sums} maps every listed file to its (already checked) SHA-256. */
  static Manifest check(Path dir, Map<String, String> sums) throws VerificationException {
    checkSidecars(dir, sums);
    List<String> manifests =
        sums.keySet().stream().filter(n -> n.endsWith(".manifest.json")).toList();
    if (manifests.size() != 1) {
      throw new VerificationException(
          dir
              + " must hold exactly one *.manifest.json listed in SHA256SUMS, found "
              + (manifests.isEmpty() ? "none" : String.join(", ", manifests)));
    }
    String manifestName = manifests.get(0);
    Manifest manifest;
    Version version;
    try {
      manifest = ManifestCodec.decode(Files.readAllBytes(dir.resolve(manifestName)), manifestName);
      AssetNames.checkName(manifest.name());
      version = Version.parse(manifest.version());
    } catch (BadInputException e) {
      throw new VerificationException(manifestName + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new VerificationException("cannot read " + manifestName + ": " + e.getMessage(), e);
    }
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
      checkStream(dir, sums, manifestName, manifest.name(), version, stream);
    }
    return manifest;
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

  private static void checkStream(
      Path dir,
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
      if (!Version.isValid(stream.parent().version())) {
        throw new VerificationException(manifestName + " names an invalid parent version");
      }
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
            file.name() + " is in " + manifestName + " but not listed in SHA256SUMS");
      }
      if (!Sha256.same(listed, file.sha256())) {
        throw new VerificationException(
            file.name() + " does not match the sha256 in " + manifestName);
      }
      long size = sizeOf(dir.resolve(file.name()));
      if (size != file.size()) {
        throw new VerificationException(
            file.name() + " is " + size + " bytes but " + manifestName + " says " + file.size());
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
