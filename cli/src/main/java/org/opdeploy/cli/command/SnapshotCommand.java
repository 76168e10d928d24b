package org.opdeploy.cli.command;

import java.util.Map;
import org.opdeploy.build.BuildAgent;
import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.cli.context.ContextCommand;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.snapshot.PoolLayout;
import org.opdeploy.snapshot.SnapshotResult;
import org.opdeploy.version.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code opdeploy snapshot VERSION}. */
@Command(
    name = "snapshot",
    mixinStandardHelpOptions = true,
    description = "Freeze the golden as the read-only snapshot @<name>-VERSION (never replaced).",
    footer = {"", "Example: opdeploy --pool /srv/op-dbus snapshot v1.2.0"})
public final class SnapshotCommand extends ContextCommand {
  @Parameters(
      paramLabel = "VERSION",
      description = "vMAJOR.MINOR.PATCH[-PRERELEASE] or nightly-YYYYMMDD[.N]")
  String version;

  @Override
  protected void execute(CommandContext context) throws OpdeployException {
    Version v = Version.parse(version);
    BuildAgent agent = context.buildAgent();
    PoolLayout pool = agent.pool();
    if (context.dryRun()) {
      agent.requirePool("snapshot");
      context
          .console()
          .dryRun(
              "snapshot",
              "would snapshot " + pool.golden() + " read-only as " + pool.snapshot(v),
              Map.of("path", pool.snapshot(v).toString()));
      return;
    }
    SnapshotResult result = agent.snapshot(v);
    context.console().result("snapshot " + result.path() + " (uuid " + result.uuid() + ")");
    context.console().document("snapshot", result);
  }
}
