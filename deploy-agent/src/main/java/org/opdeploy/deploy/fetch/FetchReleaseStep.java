package org.opdeploy.deploy.fetch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.opdeploy.deploy.Deployment;
import org.opdeploy.deploy.DeploymentInventory;
import org.opdeploy.deploy.TargetLayout;
import org.opdeploy.deploy.release.FetchedFile;
import org.opdeploy.deploy.release.FetchedRelease;
import org.opdeploy.deploy.release.ReleaseIndex;
import org.opdeploy.deploy.space.CheckFreeSpaceStep;
import org.opdeploy.deploy.space.InsufficientSpaceException;
import org.opdeploy.deploy.verify.VerifyFetchedReleaseStep;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.error.VerificationException;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.manifest.ManifestCodec;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.store.ReleaseSource;
import org.opdeploy.store.RemoteAsset;
import org.opdeploy.version.Version;

/**
 * Downloads what this target needs of a release into {@code <root>/cache/<V>/}: first the signed
 * index (SHA256SUMS, its signature, the manifest), proven before anything large is fetched; then
 * only the stream it will receive. That is the incremental stream whose parent uuid is the received
 * uuid of a local deployment, or else the full stream.
 *
 * <p>With {@code inPlace} (deploy and upgrade), a stream a {@code dir:} store holds as a local file
 * is hashed where it lies instead of being copied ({@link InPlaceReader}); the signed index is
 * always copied, because status and activation read it later. A stream already complete in the
 * cache is used from there.
 */
public final class FetchReleaseStep {
  private final ReleaseSource source;
  private final TargetLayout layout;
  private final DeploymentInventory inventory;
  private final VerifyFetchedReleaseStep verifier;
  private final AssetDownloader downloader;
  private final InPlaceReader inPlaceReader;
  private static final String MANIFEST_SUFFIX = ".manifest.json";
  private final ProgressListener progress;
  private final CheckFreeSpaceStep space;
  private final boolean receives;

  /** Downloads every file into the cache, also from a {@code dir:} store ({@code fetch}). */
  public FetchReleaseStep(ReleaseSource source, TargetLayout layout, DeploymentInventory inventory,
      VerifyFetchedReleaseStep verifier, ProgressListener progress, RetryPolicy retry) {
    this(source, layout, inventory, verifier, progress, retry, false);
  }

  /** As above; {@code inPlace} uses the stream files of a {@code dir:} store where they lie. */
  public FetchReleaseStep(ReleaseSource source, TargetLayout layout, DeploymentInventory inventory,
      VerifyFetchedReleaseStep verifier, ProgressListener progress, RetryPolicy retry, boolean inPlace) {
    this(source, layout, inventory, verifier, progress, retry, inPlace, null, false);
  }

  /**
   * As above; with {@code space}, refuses a release that does not fit before downloading it,
   * counting the uncompressed stream too when {@code receives} (deploy, upgrade).
   */
  public FetchReleaseStep(ReleaseSource source, TargetLayout layout, DeploymentInventory inventory,
      VerifyFetchedReleaseStep verifier, ProgressListener progress, RetryPolicy retry, boolean inPlace,
      CheckFreeSpaceStep space, boolean receives) {
    this.space = space;
    this.receives = receives;
    this.inPlaceReader = inPlace ? new InPlaceReader(source, progress) : null;
    this.source = source;
    this.layout = layout;
    this.inventory = inventory;
    this.verifier = verifier;
    this.progress = progress;
    this.downloader = new AssetDownloader(source, progress, retry);
  }

  public FetchedRelease run(Version version) throws OpdeployException {
    progress.stepStarted("fetch " + version);
    Map<String, RemoteAsset> assets = source.assets(version).stream()
        .collect(Collectors.toMap(RemoteAsset::name, Function.identity(), (a, b) -> a));
    String manifestFile = manifestName(version, assets);
    var directory = layout.cache(version);
    boolean fresh = !Files.exists(directory);
    if (space != null) {
      space.run(version, indexBytes(assets, manifestFile), 0);
    }
    if (inPlaceReader != null) {
      inPlaceReader.startHashing(version, onlyPossibleStream(assets, manifestFile, directory));
    }
    for (String name : List.of(AssetNames.SHA256SUMS, AssetNames.SHA256SUMS_SIGNATURE, manifestFile)) {
      downloader.download(version, require(assets, name, version), directory);
    }
    Optional<Speculation> early = speculate(version, assets, directory, manifestFile);
    List<FetchedFile> files = new ArrayList<>();
    Choice choice;
    ReleaseIndex index;
    try {
      index = verifier.verifyIndex(version, directory, manifestFile);
      Manifest manifest = index.manifest();
      if (early.isPresent() && early.get().manifest().equals(manifest)) {
        choice = early.get().choice();
      } else {
        Optional<Choice> incremental = incrementalChoice(manifest);
        choice = incremental.isPresent() ? incremental.get() : fullChoice(manifest, version);
      }
      requireSpace(version, choice, assets, directory, fresh);
      for (Manifest.StreamFile file : choice.stream().files()) {
        RemoteAsset asset = require(assets, file.name(), version);
        Optional<FetchedFile> local = inPlaceReader == null || completeInCache(directory, asset)
            ? Optional.empty() : inPlaceReader.read(version, asset);
        files.add(local.isPresent() ? local.get() : downloader.download(version, asset, directory));
      }
    } finally {
      if (inPlaceReader != null) {
        inPlaceReader.cancel();
      }
    }
    boolean inPlace = files.stream().allMatch(FetchedFile::inPlace);
    progress.info((inPlace ? "verified in place " : "fetched ")
        + (choice.parent() == null ? "full stream" : "incremental stream from " + choice.parent().version())
        + " of " + version + " (" + choice.stream().storedSize() + " bytes)");
    progress.stepFinished("fetch " + version);
    return new FetchedRelease(source.describe(), version, directory, index, choice.stream(), choice.parent(), files);
  }

  private static long indexBytes(Map<String, RemoteAsset> assets, String manifestFile) {
    return List.of(AssetNames.SHA256SUMS, AssetNames.SHA256SUMS_SIGNATURE, manifestFile).stream()
        .map(assets::get).filter(a -> a != null).mapToLong(a -> Math.max(a.size(), 0)).sum();
  }

  /**
   * Before a byte of the stream is fetched: what is still to download (nothing for a file complete
   * in the cache or read in place, the rest of a {@code .partial}) and, when it will be received,
   * the uncompressed stream must fit. A refused release leaves no cache folder it created.
   */
  private void requireSpace(Version version, Choice choice, Map<String, RemoteAsset> assets, Path directory,
      boolean fresh) throws OpdeployException {
    if (space == null) {
      return;
    }
    long download = 0;
    for (Manifest.StreamFile file : choice.stream().files()) {
      RemoteAsset asset = assets.get(file.name());
      if (asset == null || completeInCache(directory, asset)
          || (inPlaceReader != null && source.localFile(version, asset).isPresent())) {
        continue;
      }
      Path partial = directory.resolve(asset.name() + TargetLayout.PARTIAL_SUFFIX);
      long have = 0;
      try {
        have = Files.isRegularFile(partial) ? Files.size(partial) : 0;
      } catch (IOException e) {
        // Counted as not downloaded yet.
      }
      download += Math.max(file.size() - have, 0);
    }
    try {
      boolean receive = receives && inventory.locate(version).isEmpty();
      space.run(version, download, receive ? choice.stream().streamSize() : 0);
    } catch (InsufficientSpaceException e) {
      if (fresh) {
        deleteQuietly(directory);
      }
      throw e;
    }
  }

  private static void deleteQuietly(Path directory) {
    try (var files = Files.list(directory)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(directory);
    } catch (IOException e) {
      // The next fetch of this version reuses what is left.
    }
  }

  private record Speculation(Manifest manifest, Choice choice) {}

  /**
   * For a stream read in place: guesses the stream from the manifest before its signature is
   * checked and starts hashing it on another core, so that the hash overlaps the signature check.
   * The guess is used only if the proven manifest is the same; a digest proves nothing until it is
   * compared with the proven SHA256SUMS, so hashing early trusts nothing. Any doubt: no guess.
   */
  private Optional<Speculation> speculate(Version version, Map<String, RemoteAsset> assets, Path directory,
      String manifestFile) {
    if (inPlaceReader == null) {
      return Optional.empty();
    }
    try {
      Manifest manifest = ManifestCodec.decode(Files.readAllBytes(directory.resolve(manifestFile)), manifestFile);
      Optional<Choice> incremental = incrementalChoice(manifest);
      Choice choice = incremental.isPresent() ? incremental.get() : fullChoice(manifest, version);
      List<RemoteAsset> early = new ArrayList<>();
      for (Manifest.StreamFile file : choice.stream().files()) {
        RemoteAsset asset = assets.get(file.name());
        if (asset == null || completeInCache(directory, asset)) {
          return Optional.empty();
        }
        early.add(asset);
      }
      inPlaceReader.startHashing(version, early);
      return Optional.of(new Speculation(manifest, choice));
    } catch (IOException | OpdeployException | RuntimeException e) {
      return Optional.empty();  // the proven path below reports whatever is wrong
    }
  }

  /**
   * On a target that holds no deployment yet only the full stream can be received: its files,
   * named after the manifest as DESIGN.md names them, can be hashed before anything else is read.
   * Empty when the target holds deployments (the manifest decides, {@link #speculate}).
   */
  private List<RemoteAsset> onlyPossibleStream(Map<String, RemoteAsset> assets, String manifestFile,
      Path directory) throws OpdeployException {
    if (!inventory.folders().isEmpty()) {
      return List.of();
    }
    String stream = manifestFile.substring(0, manifestFile.length() - MANIFEST_SUFFIX.length()) + ".send";
    return assets.values().stream()
        .filter(a -> a.name().startsWith(stream) && !a.name().endsWith(AssetNames.CHECKSUM_SUFFIX))
        .filter(a -> !completeInCache(directory, a))
        .sorted(Comparator.comparing(RemoteAsset::name))
        .toList();
  }

  private static boolean completeInCache(Path directory, RemoteAsset asset) {
    Path file = directory.resolve(asset.name());
    try {
      return Files.isRegularFile(file) && Files.size(file) == asset.size();
    } catch (IOException e) {
      return false;
    }
  }

  private record Choice(Manifest.Stream stream, Deployment parent) {}

  /** The smallest incremental stream whose parent this target holds, matched by received uuid. */
  private Optional<Choice> incrementalChoice(Manifest manifest) throws OpdeployException {
    List<Choice> candidates = new ArrayList<>();
    for (Manifest.Stream stream : manifest.streams()) {
      if (stream.isFull() || stream.parent() == null) {
        continue;
      }
      Optional<Deployment> parent = inventory.findByReceivedUuid(stream.parent().uuid());
      parent.ifPresent(p -> candidates.add(new Choice(stream, p)));
    }
    return candidates.stream().min(Comparator.comparingLong(c -> c.stream().storedSize()));
  }

  private static Choice fullChoice(Manifest manifest, Version version) throws OpdeployException {
    return manifest.fullStream().map(s -> new Choice(s, null)).orElseThrow(() -> new OpdeployException(
        "release " + version + " has no full stream and this target holds none of its parents"
            + " (matched by received uuid): deploy one of them first"));
  }

  private static String manifestName(Version version, Map<String, RemoteAsset> assets) throws OpdeployException {
    String suffix = "-" + version + MANIFEST_SUFFIX;
    List<String> names = assets.keySet().stream().filter(n -> n.endsWith(suffix)).sorted().toList();
    if (names.size() != 1) {
      throw new VerificationException("release " + version + " has " + names.size() + " manifests ("
          + String.join(", ", names) + "); expected exactly one NAME" + suffix);
    }
    return names.get(0);
  }

  private RemoteAsset require(Map<String, RemoteAsset> assets, String name, Version version)
      throws OpdeployException {
    RemoteAsset asset = assets.get(name);
    if (asset == null) {
      if (name.equals(AssetNames.SHA256SUMS) || name.equals(AssetNames.SHA256SUMS_SIGNATURE)) {
        throw new VerificationException("release " + version + " in " + source.describe() + " has no " + name
            + ": it is not sealed, refusing it");
      }
      throw new OpdeployException("release " + version + " in " + source.describe() + " has no asset " + name
          + ": the upload is incomplete; publish it again");
    }
    return asset;
  }
}
