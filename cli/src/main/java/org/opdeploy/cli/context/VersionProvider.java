package org.opdeploy.cli.context;

import picocli.CommandLine.IVersionProvider;

/** Reports the version Maven put in the jar's manifest. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = OpdeployCommand.class.getPackage().getImplementationVersion();
    return new String[] {"opdeploy " + (version == null ? "(development build)" : version)};
  }
}
