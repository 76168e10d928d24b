package org.opdeploy.deploy.layout;

import java.nio.file.Path;
import java.util.Optional;
import org.opdeploy.error.BadInputException;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.version.Version;

/**
 * The paths under a target's root, as fixed by DESIGN.md:
 *
 * <pre>
 * root/cache/V/              downloaded assets (.partial until complete)
 * root/deploy/.staging/      journal of receives in progress; what it names is never activated
 * root/deploy/@NAME-V        verified, read-only deployments (received in place, see StagingArea)
 * root/current               symlink to the active deployment, switched by atomic rename
 * root/overlays/V/{upper,work}
 * root/state.json, root/audit.log, root/.lock
 * root/switch.json           the intent of a switch in progress (absent between switches)
 * root/.reserve              space set aside for audit and state writes on a full disk
 * root/deploy/.pruning/V     journal of a target prune in progress
 * </pre>
 */
public record TargetLayout(Path root) {
  public static final String PARTIAL_SUFFIX = ".partial";

  /** The folder of deployments under the root. */
  public static final String DEPLOY_FOLDER = "deploy";

  private static final String STAGING = ".staging";

  public Path cacheRoot() {
    return root.resolve("cache");
  }

  public Path cache(Version version) {
    return cacheRoot().resolve(version.toString());
  }

  public Path deployments() {
    return root.resolve(DEPLOY_FOLDER);
  }

  public Path staging() {
    return deployments().resolve(STAGING);
  }

  public Path deployment(String name, Version version) {
    return deployments().resolve(AssetNames.subvolume(name, version));
  }

  public Path current() {
    return root.resolve("current");
  }

  public Path overlayRoot() {
    return root.resolve("overlays");
  }

  public Path overlayUpper(Version version) {
    return overlayRoot().resolve(version.toString()).resolve("upper");
  }

  public Path overlayWork(Version version) {
    return overlayRoot().resolve(version.toString()).resolve("work");
  }

  public Path stateFile() {
    return root.resolve("state.json");
  }

  public Path auditLog() {
    return root.resolve("audit.log");
  }

  public Path lockFile() {
    return root.resolve(".lock");
  }

  public Path switchFile() {
    return root.resolve("switch.json");
  }

  public Path reserveFile() {
    return root.resolve(".reserve");
  }

  public Path pruneJournal() {
    return deployments().resolve(".pruning");
  }

  /**
   * The version a deployment folder name ({@code @op-dbus-v1.2.0}) carries, or empty for anything
   * else. The name part may itself contain dashes, so the first suffix that parses wins.
   */
  public static Optional<Version> versionOf(String folderName) {
    if (!folderName.startsWith("@")) {
      return Optional.empty();
    }
    for (int dash = folderName.indexOf('-'); dash > 1; dash = folderName.indexOf('-', dash + 1)) {
      try {
        return Optional.of(Version.parse(folderName.substring(dash + 1)));
      } catch (BadInputException e) {
        // Not this dash: the payload name has dashes of its own.
      }
    }
    return Optional.empty();
  }
}
