package org.opdeploy.deploy.layout;

import java.nio.file.Path;
import java.util.Optional;
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

  /**
   * The writable layer of {@code version}: {@code overlays/<V>} with {@code upper} and {@code
   * work}.
   */
  public Path overlay(Version version) {
    return overlayRoot().resolve(version.toString());
  }

  public Path overlayUpper(Version version) {
    return overlay(version).resolve("upper");
  }

  public Path overlayWork(Version version) {
    return overlay(version).resolve("work");
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

  /** The journal marker of a prune of {@code version} in progress. */
  public Path pruneMarker(Version version) {
    return pruneJournal().resolve(version.toString());
  }

  /** The link {@link #current} is switched through (created, then renamed over it). */
  public Path currentSwitch() {
    return root.resolve(".current.new");
  }

  /** Where a download of {@code fileName} into {@code folder} grows until it is complete. */
  public static Path partial(Path folder, String fileName) {
    return folder.resolve(fileName + PARTIAL_SUFFIX);
  }

  /** The version a cache, overlay or prune-marker folder is named for, or empty. */
  public static Optional<Version> versionFolder(String folderName) {
    return Version.tryParse(folderName);
  }

  /**
   * The version a deployment folder name ({@code @op-dbus-v1.2.0}) carries, or empty for anything
   * else. The name part may itself contain dashes, so the first suffix that parses wins.
   */
  public static Optional<Version> versionOf(String folderName) {
    return AssetNames.subvolumeVersion(folderName, null);
  }
}
