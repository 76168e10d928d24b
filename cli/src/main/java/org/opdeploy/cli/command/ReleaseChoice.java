package org.opdeploy.cli.command;

import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.store.ReleaseSource;
import org.opdeploy.version.Version;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The release a target command acts on: VERSION, where it comes from, and whether older is allowed.
 */
public final class ReleaseChoice {
  @Parameters(
      paramLabel = "VERSION",
      description = "vMAJOR.MINOR.PATCH[-PRERELEASE] or nightly-YYYYMMDD[.N]")
  String version;

  @Option(
      names = "--from",
      paramLabel = "SOURCE",
      description = "github:OWNER/REPO, dir:PATH or https://BASE (default: the source setting)")
  String from;

  @Option(
      names = "--allow-downgrade",
      description = "Accept a version older than the highest installed.")
  boolean allowDowngrade;

  Version version() throws OpdeployException {
    return Version.parse(version);
  }

  ReleaseSource source(CommandContext context) throws OpdeployException {
    return TargetCommandSupport.source(context, from);
  }
}
