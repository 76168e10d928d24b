package org.opdeploy.snapshot;

import java.nio.file.Path;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.version.Version;

/**
 * Where things live in a build pool (DESIGN.md, "Build host layout"): the writable golden, the
 * read-only versioned snapshots, the lock, the audit log and its space reserve, the manifests of
 * sent versions and the release folders {@code release} writes. Every pool path is built here.
 */
public record PoolLayout(Path pool, String name) {

  public static final Path DEFAULT_POOL = Path.of("/srv/op-dbus");
  public static final String DEFAULT_NAME = "op-dbus";

  public Path golden() {
    return pool.resolve(AssetNames.goldenSubvolume(name));
  }

  public Path snapshot(Version version) {
    return pool.resolve(AssetNames.subvolume(name, version));
  }

  public Path stateDirectory() {
    return pool.resolve(".opdeploy");
  }

  public Path lockFile() {
    return stateDirectory().resolve("lock");
  }

  public Path auditLog() {
    return stateDirectory().resolve("audit.log");
  }

  /** Where {@code release} writes and seals a version's streams before publishing them. */
  public Path releaseFolder(Version version) {
    return stateDirectory().resolve("releases").resolve(version.toString());
  }

  /** Space set aside so that a run on a full pool can still record itself in the audit log. */
  public Path reserveFile() {
    return stateDirectory().resolve("reserve");
  }

  /** The manifests of every version sent from this pool (parent choice, pruning). */
  public Path sentManifests() {
    return stateDirectory().resolve("manifests");
  }
}
