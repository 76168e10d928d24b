package org.opdeploy.deploy.fetch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.opdeploy.deploy.inventory.Deployment;
import org.opdeploy.deploy.inventory.DeploymentInventory;
import org.opdeploy.deploy.layout.TargetLayout;
import org.opdeploy.deploy.release.FetchedFile;
import org.opdeploy.deploy.release.FetchedRelease;
import org.opdeploy.deploy.release.StreamedFiles;
import org.opdeploy.deploy.space.CheckFreeSpaceStep;
import org.opdeploy.deploy.space.InsufficientSpaceException;
import org.opdeploy.deploy.verify.CheckSendProtocolStep;
import org.opdeploy.deploy.verify.VerifyFetchedReleaseStep;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.error.VerificationException;
import org.opdeploy.http.RetryPolicy;
import org.opdeploy.io.FileTrees;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.manifest.IndexLimits;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.seal.SignedIndex;
import org.opdeploy.store.ReleaseSource;
import org.opdeploy.store.RemoteAsset;
import org.opdeploy.version.Version;

/**
 * Downloads what this target needs of a release into {@code <root>/cache/<V>/}: first the signed
 * index (SHA256SUMS, its signature, the manifest; each capped, fetched afresh and proven before it
 * is parsed or anything large is fetched); then only the stream it will receive, each file checked
 * against the proven SHA256SUMS (a cached or resumed file that does not match is fetched again
 * once). A refused release leaves nothing in the cache. That is the incremental stream whose parent
 * uuid is the received uuid of a local deployment, or else the full stream.
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

  /** Where the index is downloaded and proven before it replaces anything in {@code cache/V/}. */
  private static final String INCOMING = ".incoming";

  private final ProgressListener progress;
  private final RetryPolicy retry;
  private boolean streaming;
  private boolean keepCache;
  private CheckSendProtocolStep protocolCheck;
  private final CheckFreeSpaceStep space;
  private final boolean receives;

  /**
   * Fetches {@code source}'s release into the cache; {@code inPlace} uses the stream files of a
   * {@code dir:} store where they lie. With {@code space}, refuses a release that does not fit
   * before downloading it, counting the uncompressed stream too when {@code receives} (deploy,
   * upgrade).
   */
  public FetchReleaseStep(
      ReleaseSource source,
      TargetLayout layout,
      DeploymentInventory inventory,
      VerifyFetchedReleaseStep verifier,
      ProgressListener progress,
      RetryPolicy retry,
      boolean inPlace,
      CheckFreeSpaceStep space,
      boolean receives) {
    this.space = space;
    this.receives = receives;
    this.inPlaceReader = inPlace ? new InPlaceReader(source, progress) : null;
    this.source = source;
    this.layout = layout;
    this.inventory = inventory;
    this.verifier = verifier;
    this.progress = progress;
    this.downloader = new AssetDownloader(source, progress, retry);
    this.retry = retry;
  }

  /**
   * Deploy and upgrade: a stream with a chunk index that is not complete in the cache is not
   * fetched but left to be read from the source while it is received, each chunk proven before it
   * is fed ({@link StreamedFiles}); {@code keepCache} also writes the proven files into the cache.
   * Older releases, without the index, are fetched (or read in place) and proven first.
   */
  public FetchReleaseStep streaming(boolean keepCache) {
    this.streaming = true;
    this.keepCache = keepCache;
    return this;
  }

  /** Refuses, before any stream download, a release this target's btrfs receive cannot read. */
  public FetchReleaseStep checkingProtocol(CheckSendProtocolStep value) {
    this.protocolCheck = value;
    return this;
  }

  public FetchedRelease run(Version version) throws OpdeployException {
    return run(version, false);
  }

  /** {@code fullStream}: the full stream even when this target holds a parent (the fallback). */
  public FetchedRelease run(Version version, boolean fullStream) throws OpdeployException {
    progress.stepStarted("fetch " + version);
    Map<String, RemoteAsset> assets =
        source.assets(version).stream()
            .collect(Collectors.toMap(RemoteAsset::name, Function.identity(), (a, b) -> a));
    Path directory = layout.cache(version);
    List<FetchedFile> files = new ArrayList<>();
    Choice choice;
    SignedIndex index;
    try {
      String manifestFile = manifestName(version, assets);
      if (space != null) {
        space.run(version, indexBytes(assets, manifestFile), 0);
      }
      if (inPlaceReader != null && !streaming) {
        inPlaceReader.startHashing(
            version, likelyStream(assets, manifestFile, directory, fullStream));
      }
      index = fetchIndex(version, assets, manifestFile, directory);
      Manifest manifest = index.manifest();
      if (protocolCheck != null) {
        protocolCheck.run(version, manifest);
      }
      Optional<Choice> incremental = fullStream ? Optional.empty() : incrementalChoice(manifest);
      choice = incremental.isPresent() ? incremental.get() : fullChoice(manifest, version);
      boolean streamed =
          streaming
              && choice.stream().hasChunkIndex()
              && !completeInCache(directory, choice, assets);
      // A streamed release downloads nothing to the disk unless it is kept.
      requireSpace(version, choice, assets, directory, streamed && !keepCache);
      if (streamed) {
        return streamed(version, directory, index, choice, assets);
      }
      for (Manifest.StreamFile file : choice.stream().files()) {
        RemoteAsset asset = require(assets, file.name(), version);
        Optional<FetchedFile> local =
            inPlaceReader == null || completeInCache(directory, asset)
                ? Optional.empty()
                : inPlaceReader.read(version, asset);
        files.add(
            local.isPresent()
                ? local.get()
                : downloader.download(
                    version, asset, directory, index.checksums().get(file.name())));
      }
    } catch (VerificationException | InsufficientSpaceException e) {
      forgetRefused(version, directory);
      throw e;
    } finally {
      if (inPlaceReader != null) {
        inPlaceReader.cancel();
      }
    }
    boolean inPlace = files.stream().allMatch(FetchedFile::inPlace);
    progress.info((inPlace ? "verified in place " : "fetched ") + described(choice, version));
    progress.stepFinished("fetch " + version);
    return new FetchedRelease(
        source.describe(), version, directory, index, choice.stream(), choice.parent(), files);
  }

  /**
   * The release with its stream left at the source, to be proven chunk by chunk as it is received.
   */
  private FetchedRelease streamed(
      Version version,
      Path directory,
      SignedIndex index,
      Choice choice,
      Map<String, RemoteAsset> assets)
      throws OpdeployException {
    List<RemoteAsset> remote = new ArrayList<>();
    for (Manifest.StreamFile file : choice.stream().files()) {
      remote.add(require(assets, file.name(), version));
    }
    progress.info(
        "streaming "
            + described(choice, version)
            + " from "
            + source.describe()
            + ", each chunk proven before it is received"
            + (keepCache ? "; keeping a copy in " + directory : ""));
    progress.stepFinished("fetch " + version);
    StreamedFiles streamed = new StreamedFiles(source, remote, retry, keepCache ? directory : null);
    return new FetchedRelease(
        source.describe(),
        version,
        directory,
        index,
        choice.stream(),
        choice.parent(),
        List.of(),
        streamed);
  }

  private boolean completeInCache(Path directory, Choice choice, Map<String, RemoteAsset> assets) {
    return choice.stream().files().stream()
        .allMatch(
            f -> assets.containsKey(f.name()) && completeInCache(directory, assets.get(f.name())));
  }

  private static long indexBytes(Map<String, RemoteAsset> assets, String manifestFile) {
    return List.of(AssetNames.SHA256SUMS, AssetNames.SHA256SUMS_SIGNATURE, manifestFile).stream()
        .map(assets::get)
        .filter(a -> a != null)
        .mapToLong(a -> Math.max(a.size(), 0))
        .sum();
  }

  /**
   * Before a byte of the stream is fetched: what is still to download (nothing for a file complete
   * in the cache or read in place, the rest of a {@code .partial}) and, when it will be received,
   * the uncompressed stream must fit. A refused release leaves no cache folder it created.
   */
  private void requireSpace(
      Version version,
      Choice choice,
      Map<String, RemoteAsset> assets,
      Path directory,
      boolean nothingDownloaded)
      throws OpdeployException {
    if (space == null) {
      return;
    }
    long download = 0;
    for (Manifest.StreamFile file :
        nothingDownloaded ? List.<Manifest.StreamFile>of() : choice.stream().files()) {
      RemoteAsset asset = assets.get(file.name());
      if (asset == null
          || completeInCache(directory, asset)
          || (inPlaceReader != null && source.localFile(version, asset).isPresent())) {
        continue;
      }
      Path partial = TargetLayout.partial(directory, asset.name());
      long have = 0;
      try {
        have = Files.isRegularFile(partial) ? Files.size(partial) : 0;
      } catch (IOException e) {
        // Counted as not downloaded yet.
      }
      download += Math.max(file.size() - have, 0);
    }
    boolean receive = receives && inventory.locate(version).isEmpty();
    space.run(version, download, receive ? choice.stream().streamSize() : 0);
  }

  /**
   * What {@link #run(Version)} would receive, decided from the index proven in a throw-away folder:
   * nothing is downloaded into the cache and no stream is fetched ({@code --dry-run}). Refuses what
   * a run would refuse before its first stream byte (trust, protocol, no stream).
   */
  public FetchPlan plan(Version version) throws OpdeployException {
    Map<String, RemoteAsset> assets =
        source.assets(version).stream()
            .collect(Collectors.toMap(RemoteAsset::name, Function.identity(), (a, b) -> a));
    String manifestFile = manifestName(version, assets);
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("opdeploy-plan-");
      for (String name :
          List.of(AssetNames.SHA256SUMS, AssetNames.SHA256SUMS_SIGNATURE, manifestFile)) {
        RemoteAsset asset = require(assets, name, version);
        IndexLimits.requireWithin(name, asset.size(), source.describe() + "/" + version);
        downloader.download(version, asset, scratch, null);
      }
      Manifest manifest = verifier.verifyIndex(version, scratch, manifestFile).manifest();
      if (protocolCheck != null) {
        protocolCheck.run(version, manifest);
      }
      Optional<Choice> incremental = incrementalChoice(manifest);
      Choice choice = incremental.isPresent() ? incremental.get() : fullChoice(manifest, version);
      return new FetchPlan(
          version,
          choice.parent() == null ? null : choice.parent().version(),
          choice.stream().streamSize(),
          choice.stream().storedSize(),
          inventory.find(version).isPresent());
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot make a scratch folder for the index of " + version + ": " + e.getMessage(), e);
    } finally {
      if (scratch != null) {
        FileTrees.deleteQuietly(scratch);
      }
    }
  }

  /**
   * Downloads SHA256SUMS, its signature and the manifest afresh from this source into {@code
   * cache/V/.incoming/}, each refused past its fixed cap ({@link IndexLimits}) before a byte is
   * read, proves them, and only then moves them into {@code cache/V/}: a cached index is never
   * trusted again (another source, a corrupted byte), and the proven index of a deployed version is
   * never replaced by an unproven one.
   */
  private SignedIndex fetchIndex(
      Version version, Map<String, RemoteAsset> assets, String manifestFile, Path directory)
      throws OpdeployException {
    Path incoming = directory.resolve(INCOMING);
    List<String> names =
        List.of(AssetNames.SHA256SUMS, AssetNames.SHA256SUMS_SIGNATURE, manifestFile);
    try {
      FileTrees.deleteTree(incoming);
      for (String name : names) {
        RemoteAsset asset = require(assets, name, version);
        IndexLimits.requireWithin(name, asset.size(), source.describe() + "/" + version);
        downloader.download(version, asset, incoming, null);
      }
      SignedIndex index = verifier.verifyIndex(version, incoming, manifestFile);
      for (String name : names) {
        Files.move(
            incoming.resolve(name),
            directory.resolve(name),
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      }
      return index;
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot store the index of " + version + " in " + directory + ": " + e.getMessage(), e);
    } finally {
      FileTrees.deleteQuietly(incoming);
    }
  }

  /**
   * A refused release leaves nothing in the cache (a later run starts clean), except the proven
   * index a deployed version keeps there.
   */
  public void forgetRefused(Version version, Path directory) {
    try {
      if (inventory.find(version).isEmpty()) {
        FileTrees.deleteQuietly(directory);
      }
    } catch (OpdeployException e) {
      progress.warn(
          "could not clean " + directory + " after refusing " + version + ": " + e.getMessage());
    }
  }

  /**
   * For a stream read in place: the files the target will most likely receive, guessed from asset
   * names alone (DESIGN.md names streams after the manifest and the parent version), so that
   * hashing them overlaps the signature check. Nothing unproven is parsed; a digest proves nothing
   * until it is compared with the proven SHA256SUMS, and a wrong guess only costs a read.
   */
  private List<RemoteAsset> likelyStream(
      Map<String, RemoteAsset> assets, String manifestFile, Path directory, boolean fullStream)
      throws OpdeployException {
    String stem = manifestFile.substring(0, manifestFile.length() - MANIFEST_SUFFIX.length());
    List<String> prefixes = new ArrayList<>();
    if (!fullStream) {
      for (Version local :
          inventory.folders().keySet().stream().sorted(Comparator.reverseOrder()).toList()) {
        prefixes.add(stem + "-from-" + local + ".send");
      }
    }
    prefixes.add(stem + ".send");
    for (String prefix : prefixes) {
      List<RemoteAsset> files =
          assets.values().stream()
              .filter(a -> a.name().equals(prefix) || a.name().startsWith(prefix + "."))
              .filter(a -> !a.name().endsWith(AssetNames.CHECKSUM_SUFFIX))
              .filter(a -> !completeInCache(directory, a))
              .sorted(Comparator.comparing(RemoteAsset::name))
              .toList();
      if (!files.isEmpty()) {
        return files;
      }
    }
    return List.of();
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
    return manifest
        .fullStream()
        .map(s -> new Choice(s, null))
        .orElseThrow(
            () ->
                new OpdeployException(
                    "release "
                        + version
                        + " has no full stream and this target holds none of its parents"
                        + " (matched by received uuid): deploy one of them first"));
  }

  private static String manifestName(Version version, Map<String, RemoteAsset> assets)
      throws OpdeployException {
    String suffix = "-" + version + MANIFEST_SUFFIX;
    List<String> names = assets.keySet().stream().filter(n -> n.endsWith(suffix)).sorted().toList();
    if (names.size() != 1) {
      throw new VerificationException(
          "release "
              + version
              + " has "
              + names.size()
              + " manifests ("
              + String.join(", ", names)
              + "); expected exactly one *"
              + suffix);
    }
    return names.get(0);
  }

  private RemoteAsset require(Map<String, RemoteAsset> assets, String name, Version version)
      throws OpdeployException {
    RemoteAsset asset = assets.get(name);
    if (asset == null) {
      if (name.equals(AssetNames.SHA256SUMS) || name.equals(AssetNames.SHA256SUMS_SIGNATURE)) {
        throw new VerificationException(
            "release "
                + version
                + " in "
                + source.describe()
                + " has no "
                + name
                + ": it is not sealed, refusing it");
      }
      throw new OpdeployException(
          "release "
              + version
              + " in "
              + source.describe()
              + " has no asset "
              + name
              + ": the upload is incomplete; publish it again");
    }
    return asset;
  }

  /** "full stream of V (N bytes)" or "incremental stream from P of V (N bytes)". */
  private static String described(Choice choice, Version version) {
    return (choice.parent() == null
            ? "full stream"
            : "incremental stream from " + choice.parent().version())
        + " of "
        + version
        + " ("
        + choice.stream().storedSize()
        + " bytes)";
  }
}
