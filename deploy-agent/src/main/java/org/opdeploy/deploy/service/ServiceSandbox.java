package org.opdeploy.deploy.service;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.opdeploy.manifest.ServiceAccount;

/**
 * What the payload's service sees and who it runs as, in one place: the drop-in opdeploy writes for
 * the unit and the properties of the transient unit its health check runs in both come from here,
 * so the two cannot drift apart.
 *
 * <ul>
 *   <li>{@code RootDirectory=} the active deployment's overlay: the deployment read-only, its
 *       machine-local changes writable; nothing of opdeploy's root (state, cache, audit log, lock,
 *       other deployments) is inside it.
 *   <li>{@code ConfigurationDirectory=} reset: {@code /etc/NAME} is the deployment's, never an
 *       empty host folder bound over it.
 *   <li>{@code StateDirectory=NAME}: the persistent data folder, the host's {@code /var/lib/NAME},
 *       kept across upgrades and rollbacks (like OSTree's {@code /var}).
 *   <li>{@code BindPaths=} only the host's {@code /run/dbus} and, when present, {@code
 *       /run/openvswitch}.
 *   <li>the service account of the manifest: {@code User=} or {@code DynamicUser=}, and only its
 *       capabilities in the bounding and ambient sets.
 * </ul>
 *
 * @param rootDirectory the overlay the service runs in
 * @param name the payload name: {@code /var/lib/NAME} is its data folder
 * @param account who it runs as, or null to keep the unit's own user and capabilities
 */
public record ServiceSandbox(Path rootDirectory, String name, ServiceAccount account) {
  /** The unit that mounts the active version at boot; the service is ordered after it. */
  public static final String BOOT_UNIT = "opdeploy-boot.service";

  static final List<String> HOST_BINDS = List.of("/run/dbus", "-/run/openvswitch");

  /** The drop-in's text for {@code unit}. */
  public String dropIn(String unit) {
    StringBuilder text =
        new StringBuilder()
            .append("# Written by opdeploy on every activation: run ")
            .append(unit)
            .append(" inside the active\n")
            .append(
                "# deployment (its writable overlay), with its own data folder and nothing of opdeploy's.\n")
            .append("[Unit]\n")
            .append("Wants=")
            .append(BOOT_UNIT)
            .append('\n')
            .append("After=")
            .append(BOOT_UNIT)
            .append('\n')
            .append("AssertPathIsMountPoint=")
            .append(rootDirectory)
            .append("\n\n")
            .append("[Service]\n");
    for (String line : serviceLines()) {
      text.append(line).append('\n');
    }
    return text.toString();
  }

  /** The {@code [Service]} settings, one {@code Key=value} each, resets first. */
  List<String> serviceLines() {
    List<String> lines = new ArrayList<>();
    lines.add("RootDirectory=" + rootDirectory);
    lines.add("ConfigurationDirectory=");
    lines.add("StateDirectory=");
    lines.add("StateDirectory=" + name);
    lines.add("BindPaths=");
    HOST_BINDS.forEach(bind -> lines.add("BindPaths=" + bind));
    lines.add("ProtectProc=invisible");
    lines.addAll(accountLines());
    return lines;
  }

  /**
   * The properties of the transient unit a health check runs in: the same root, account and binds
   * as the service, the data folder and the service's runtime folder read-only, nothing writable.
   */
  List<String> healthProperties() {
    List<String> properties = new ArrayList<>();
    properties.add("RootDirectory=" + rootDirectory);
    properties.add(
        "BindReadOnlyPaths="
            + String.join(" ", HOST_BINDS)
            + " -/var/lib/"
            + name
            + " -/run/"
            + name);
    properties.add("ProtectSystem=strict");
    properties.add("ProtectProc=invisible");
    properties.add("PrivateTmp=yes");
    properties.add("NoNewPrivileges=yes");
    properties.addAll(accountLines());
    return properties;
  }

  private List<String> accountLines() {
    if (account == null) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    if (account.dynamicUser()) {
      lines.add("DynamicUser=yes");
      lines.add("User=" + name);
    } else {
      lines.add("User=" + account.user());
    }
    String caps = String.join(" ", account.capabilities());
    lines.add("CapabilityBoundingSet=");
    lines.add("AmbientCapabilities=");
    if (!caps.isEmpty()) {
      lines.add("CapabilityBoundingSet=" + caps);
      lines.add("AmbientCapabilities=" + caps);
    }
    return lines;
  }
}
