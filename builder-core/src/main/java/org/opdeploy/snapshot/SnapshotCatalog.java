package org.opdeploy.snapshot;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.opdeploy.btrfs.Btrfs;
import org.opdeploy.btrfs.SubvolumeInfo;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.version.Version;

/**
 * The versioned snapshots in a pool ({@code opdeploy list}): every subvolume named
 * {@code @<name>-<VERSION>} with a valid version, oldest first by version precedence. The golden
 * and anything not named like a snapshot are left out.
 */
public final class SnapshotCatalog {
  private final PoolLayout layout;
  private final Btrfs btrfs;

  public SnapshotCatalog(PoolLayout layout, Btrfs btrfs) {
    this.layout = layout;
    this.btrfs = btrfs;
  }

  /** All snapshots, oldest first; fails when the pool is not on btrfs. */
  public List<SnapshotEntry> list() throws OpdeployException {
    btrfs.requireBtrfs(layout.pool(), "pool");
    List<SnapshotEntry> found = new ArrayList<>();
    for (SubvolumeInfo info : btrfs.list(layout.pool())) {
      versionOf(info.path()).ifPresent(v -> found.add(entry(v, info)));
    }
    found.sort(Comparator.comparing(SnapshotEntry::version));
    return List.copyOf(found);
  }

  /** The snapshot of {@code version}, when the pool holds one. */
  public Optional<SnapshotEntry> find(Version version) throws OpdeployException {
    Path path = layout.snapshot(version);
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS) || !btrfs.isSubvolume(path)) {
      return Optional.empty();
    }
    return Optional.of(entry(version, btrfs.show(path)));
  }

  /** The version in a snapshot's name, or empty for the golden and foreign subvolumes. */
  Optional<Version> versionOf(Path path) {
    return AssetNames.subvolumeVersion(path.getFileName().toString(), layout.name());
  }

  private static SnapshotEntry entry(Version version, SubvolumeInfo info) {
    return new SnapshotEntry(version, info.path(), info.uuid(), info.readOnly());
  }
}
