package org.opdeploy.deploy.service;

import java.nio.file.Path;
import org.opdeploy.manifest.Manifest;

/**
 * {@code service: none}: touches nothing, and counts a unit as active since nothing manages it. Its
 * health check runs on the host (there is no service sandbox to run it in).
 */
public final class NoServiceManager implements ServiceManager {

  @Override
  public void install(Manifest manifest, Path deployment) {}

  @Override
  public void restart(String unit) {}

  @Override
  public boolean managesServices() {
    return false;
  }

  @Override
  public boolean isActive(String unit) {
    return true;
  }
}
