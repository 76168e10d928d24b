package org.opdeploy.deploy.layout;

import java.nio.file.Path;
import org.opdeploy.error.BadInputException;

/**
 * The settings of a target (DESIGN.md "Target layout"): where opdeploy keeps its state, where
 * releases come from, which keys may sign them, where the active deployment is mounted and which
 * service manager is driven. The CLI fills this from the config file and flags.
 *
 * @param root folder on btrfs holding cache, deployments, state and audit log
 * @param source default release source ({@code github:OWNER/REPO}, {@code dir:PATH}, URL), or null
 * @param trustedKeys armored OpenPGP public keys allowed to sign releases
 * @param mount where the active deployment is bind-mounted read-only
 * @param overlay where the overlayfs (deployment as lower layer) is mounted
 * @param service which service manager activation drives
 */
public record TargetSettings(
    Path root, String source, Path trustedKeys, Path mount, Path overlay, ServiceMode service) {

  public static final Path DEFAULT_ROOT = Path.of("/var/lib/opdeploy");

  /**
   * The default root before 0.x: op-dbus's own data folder, which its service then saw. A root
   * found there is moved to {@link #DEFAULT_ROOT} (see {@code MigrateLegacyRootStep}).
   */
  public static final Path LEGACY_ROOT = Path.of("/var/lib/op-dbus");

  public static final Path DEFAULT_TRUSTED_KEYS = Path.of("/etc/opdeploy/trusted.asc");
  public static final Path DEFAULT_MOUNT = Path.of("/opt/op-dbus");
  public static final Path DEFAULT_OVERLAY = Path.of("/usr/local/op-dbus");

  /** How a deployment's service is integrated. */
  public enum ServiceMode {
    /** The manifest's unit is linked into /etc/systemd/system and restarted. */
    SYSTEMD,
    /** No service manager is touched. */
    NONE;

    /** Parses {@code systemd} or {@code none}. */
    public static ServiceMode parse(String text) throws BadInputException {
      if ("systemd".equals(text)) {
        return SYSTEMD;
      }
      if ("none".equals(text)) {
        return NONE;
      }
      throw new BadInputException("invalid service '" + text + "': use systemd or none");
    }
  }

  public TargetSettings {
    root = absolute(root == null ? DEFAULT_ROOT : root);
    trustedKeys = absolute(trustedKeys == null ? DEFAULT_TRUSTED_KEYS : trustedKeys);
    mount = absolute(mount == null ? DEFAULT_MOUNT : mount);
    overlay = absolute(overlay == null ? DEFAULT_OVERLAY : overlay);
    service = service == null ? ServiceMode.SYSTEMD : service;
  }

  /** Every default of DESIGN.md, no source. */
  public static TargetSettings defaults() {
    return new TargetSettings(null, null, null, null, null, null);
  }

  public TargetSettings withRoot(Path value) {
    return new TargetSettings(value, source, trustedKeys, mount, overlay, service);
  }

  public TargetSettings withSource(String value) {
    return new TargetSettings(root, value, trustedKeys, mount, overlay, service);
  }

  public TargetSettings withTrustedKeys(Path value) {
    return new TargetSettings(root, source, value, mount, overlay, service);
  }

  public TargetSettings withMount(Path value) {
    return new TargetSettings(root, source, trustedKeys, value, overlay, service);
  }

  public TargetSettings withOverlay(Path value) {
    return new TargetSettings(root, source, trustedKeys, mount, value, service);
  }

  public TargetSettings withService(ServiceMode value) {
    return new TargetSettings(root, source, trustedKeys, mount, overlay, value);
  }

  public TargetLayout layout() {
    return new TargetLayout(root);
  }

  private static Path absolute(Path path) {
    return path.toAbsolutePath().normalize();
  }
}
