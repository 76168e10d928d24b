package org.opdeploy.deploy.update;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.opdeploy.deploy.inventory.Deployment;
import org.opdeploy.deploy.inventory.DeploymentInventory;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.error.VerificationException;
import org.opdeploy.manifest.IndexLimits;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.manifest.ManifestCodec;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.store.ReleaseSource;
import org.opdeploy.store.RemoteAsset;
import org.opdeploy.version.Version;

/**
 * What a release source offers this target: every published version, which are installed and
 * active, which the track allows, and the newest allowed one newer than the active version. With
 * {@code details}, each candidate's manifest is read (within its cap, and only to describe it: a
 * deploy proves it against the signature) to tell which stream a deploy would receive and its size,
 * chosen as a fetch chooses it: the smallest incremental whose parent is held, else the full one.
 */
public final class ListAvailableReleasesStep {
  private static final String MANIFEST_SUFFIX = ".manifest.json";

  private final ReleaseSource source;
  private final DeploymentInventory inventory;
  private final Optional<Version> active;
  private final Track track;

  public ListAvailableReleasesStep(
      ReleaseSource source, DeploymentInventory inventory, Optional<Version> active, Track track) {
    this.source = source;
    this.inventory = inventory;
    this.active = active;
    this.track = track;
  }

  public AvailableReleases run(boolean details) throws OpdeployException {
    List<AvailableRelease> releases = new ArrayList<>();
    Version newest = null;
    for (Version version : source.publishedVersions()) {
      boolean allowed = track.allows(version);
      boolean installed = inventory.locate(version).isPresent();
      boolean isActive = active.isPresent() && active.get().equals(version);
      boolean candidate = allowed && (active.isEmpty() || version.compareTo(active.get()) > 0);
      if (candidate) {
        newest = version; // oldest first: the last candidate is the highest
      }
      AvailableRelease release =
          new AvailableRelease(version, installed, isActive, allowed, null, null, -1);
      if (details && candidate && !installed) {
        release = describe(version, release);
      }
      releases.add(release);
    }
    return new AvailableReleases(
        source.describe(), track, releases, active, Optional.ofNullable(newest));
  }

  private AvailableRelease describe(Version version, AvailableRelease plain)
      throws OpdeployException {
    Manifest manifest = manifest(version);
    Manifest.Stream chosen = null;
    Deployment parent = null;
    for (Manifest.Stream stream : manifest.streams()) {
      if (stream.isFull() || stream.parent() == null) {
        continue;
      }
      Optional<Deployment> held = inventory.findByReceivedUuid(stream.parent().uuid());
      if (held.isPresent() && (chosen == null || stream.storedSize() < chosen.storedSize())) {
        chosen = stream;
        parent = held.get();
      }
    }
    if (chosen == null) {
      chosen = manifest.fullStream().orElse(null);
    }
    if (chosen == null) {
      return new AvailableRelease(
          version, plain.installed(), plain.active(), plain.allowed(), "none", null, -1);
    }
    return new AvailableRelease(
        version,
        plain.installed(),
        plain.active(),
        plain.allowed(),
        parent == null ? "full" : "incremental",
        parent == null ? null : parent.version(),
        chosen.storedSize());
  }

  private Manifest manifest(Version version) throws OpdeployException {
    String suffix = "-" + version + MANIFEST_SUFFIX;
    List<RemoteAsset> manifests =
        source.assets(version).stream()
            .filter(a -> a.name().endsWith(suffix))
            .sorted(Comparator.comparing(RemoteAsset::name))
            .toList();
    if (manifests.size() != 1) {
      throw new VerificationException(
          "release "
              + version
              + " at "
              + source.describe()
              + " has "
              + manifests.size()
              + " manifests; expected exactly one *"
              + suffix);
    }
    RemoteAsset asset = manifests.get(0);
    IndexLimits.requireWithin(asset.name(), asset.size(), source.describe());
    Optional<Path> local = source.localFile(version, asset);
    Path temp = null;
    try {
      Path file;
      if (local.isPresent()) {
        file = local.get();
      } else {
        temp = Files.createTempFile("opdeploy-manifest-", ".json");
        source.download(version, asset, temp, ProgressListener.NONE);
        file = temp;
      }
      try (InputStream in = Files.newInputStream(file)) {
        return ManifestCodec.decode(
            IndexLimits.read(in, asset.name(), source.describe()), asset.name());
      }
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot read " + asset.name() + " of " + version + ": " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // a temp file left behind is harmless
        }
      }
    }
  }
}
