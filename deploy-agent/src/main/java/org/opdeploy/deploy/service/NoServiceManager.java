package org.opdeploy.deploy.service;

import java.nio.file.Path;

/** {@code service: none}: touches nothing, and counts a unit as active since nothing manages it. */
public final class NoServiceManager implements ServiceManager {

  @Override
  public void install(String unit, Path deployment) {}

  @Override
  public void restart(String unit) {}

  @Override
  public boolean isActive(String unit) {
    return true;
  }
}
