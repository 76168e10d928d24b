package org.opdeploy.deploy.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.process.ProcessSpec;
import org.opdeploy.version.Version;

/**
 * The service manager a target integrates its payload with: {@link SystemdServiceManager} on a
 * systemd host, {@link NoServiceManager} where nothing may be touched. Activation prepares the
 * service's account before switching, then installs the deployment's unit and restarts it; the
 * health check asks whether it is active and runs the manifest's command the way this manager
 * confines it.
 */
public interface ServiceManager {

  /**
   * Checks, before anything is switched, that the service of {@code manifest} can run from {@code
   * deployment} (its unit is there, its user exists or can be created). Nothing by default.
   */
  default void prepare(Manifest manifest, Path deployment) throws OpdeployException {}

  /**
   * Points the manager at the unit of {@code manifest} as shipped inside {@code deployment},
   * enables it, reloads.
   */
  void install(Manifest manifest, Path deployment) throws OpdeployException;

  /** Restarts {@code unit} (starts it when stopped) and waits until it has started. */
  void restart(String unit) throws OpdeployException;

  /**
   * Starts {@code unit} without waiting for it: at boot, from a unit the service is ordered after,
   * waiting would deadlock. By default the same as {@link #restart}.
   */
  default void startWithoutWaiting(String unit) throws OpdeployException {
    restart(unit);
  }

  /**
   * False when this manager touches no service ({@code service: none}): a switch then installs and
   * restarts nothing, and says so.
   */
  default boolean managesServices() {
    return true;
  }

  /** True when {@code unit} is running. */
  boolean isActive(String unit) throws OpdeployException;

  /**
   * The process that runs {@code command}, the health check of {@code version} mounted read-only at
   * {@code mount}, for at most {@code timeout}. By default on the host, through {@code /bin/sh -c},
   * with the deployment's copy of an absolute program path when it ships one.
   */
  default ProcessSpec healthCheck(
      Manifest manifest, String command, Version version, Path mount, Duration timeout) {
    return ProcessSpec.of("/bin/sh", "-c", shippedCopy(command, mount))
        .withTimeout(timeout)
        .withMergedStderr()
        .withWorkingDirectory(mount)
        .withEnvironment(
            Map.of(
                "OPDEPLOY_VERSION", version.toString(), "OPDEPLOY_DEPLOYMENT", mount.toString()));
  }

  /** Runs the deployment's copy of an absolute program path when it ships one. */
  static String shippedCopy(String command, Path mount) {
    if (!command.startsWith("/")) {
      return command;
    }
    int space = command.indexOf(' ');
    String program = space < 0 ? command : command.substring(0, space);
    Path shipped = mount.resolve(program.substring(1));
    return Files.isExecutable(shipped) ? shipped + command.substring(program.length()) : command;
  }
}
