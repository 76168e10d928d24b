package org.opdeploy.deploy.service;

import java.nio.file.Path;
import org.opdeploy.error.OpdeployException;

/**
 * The service manager a target integrates its payload with: {@link SystemdServiceManager} on a
 * systemd host, {@link NoServiceManager} where nothing may be touched. Activation installs the
 * deployment's unit, restarts it, and the health check asks whether it is active.
 */
public interface ServiceManager {

  /** Points the manager at {@code unit} as shipped inside {@code deployment}, and reloads it. */
  void install(String unit, Path deployment) throws OpdeployException;

  /** Restarts {@code unit} (starts it when stopped). */
  void restart(String unit) throws OpdeployException;

  /** True when {@code unit} is running. */
  boolean isActive(String unit) throws OpdeployException;
}
