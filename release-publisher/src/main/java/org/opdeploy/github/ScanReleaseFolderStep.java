package org.opdeploy.github;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.manifest.Checksums;

/**
 * Lists the files a release folder publishes (every regular file but hidden and temporary ones)
 * with the SHA-256 its SHA256SUMS gives each, and refuses, before anything is sent, what GitHub
 * would refuse halfway: more than 1000 assets or a file of 2 GiB or more.
 */
final class ScanReleaseFolderStep {
  static final int MAX_ASSETS = 1000;
  static final long MAX_ASSET_BYTES = 2L << 30; // exclusive: assets must be under 2 GiB
  private final Path directory;

  ScanReleaseFolderStep(Path directory) {
    this.directory = directory;
  }

  List<LocalAsset> run() throws OpdeployException {
    List<LocalAsset> assets = new ArrayList<>();
    try (Stream<Path> entries = Files.list(directory)) {
      Map<String, String> sealed = sealedSha256s();
      for (Path file : entries.sorted(Comparator.comparing(Path::toString)).toList()) {
        String name = file.getFileName().toString();
        if (Files.isRegularFile(file) && isPublishable(name)) {
          assets.add(new LocalAsset(file, Files.size(file), sealed.get(name)));
        }
      }
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot read release folder " + directory + ": " + e.getMessage() + "; check --from", e);
    }
    if (assets.isEmpty()) {
      throw new OpdeployException(
          "release folder "
              + directory
              + " holds no files to publish; run send"
              + " and seal into it first");
    }
    if (assets.size() > MAX_ASSETS) {
      throw new OpdeployException(
          "release folder "
              + directory
              + " holds "
              + assets.size()
              + " files but a GitHub release takes at most "
              + MAX_ASSETS
              + "; raise max-asset-bytes so streams split into fewer parts");
    }
    for (LocalAsset asset : assets) {
      if (asset.size() >= MAX_ASSET_BYTES) {
        throw new OpdeployException(
            asset.name()
                + " is "
                + asset.size()
                + " bytes, GitHub takes assets"
                + " under 2 GiB ("
                + MAX_ASSET_BYTES
                + "): lower max-asset-bytes (default 2000000000) and"
                + " run send again");
      }
    }
    return assets;
  }

  /** SHA256SUMS's entries; none for an unsealed folder, whose files are then hashed. */
  private Map<String, String> sealedSha256s() throws IOException, BadInputException {
    Path sums = directory.resolve(AssetNames.SHA256SUMS);
    return Files.isRegularFile(sums) ? Checksums.read(sums) : Map.of();
  }

  static boolean isPublishable(String name) {
    return !name.startsWith(".")
        && !name.endsWith(".partial")
        && !name.endsWith(".tmp")
        && !name.endsWith("~");
  }
}
