package org.opdeploy.deploy.service;

import java.nio.file.Path;

/** Opens {@link CheckHealthStep}'s command resolution to tests in other packages. */
public final class CheckHealthStepAccess {
  private CheckHealthStepAccess() {}

  public static String resolve(String command, Path mount) {
    return CheckHealthStep.resolve(command, mount);
  }
}
