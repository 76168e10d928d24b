package org.opdeploy.cli.command;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.cli.context.ContextCommand;
import org.opdeploy.deploy.activate.RollbackPlan;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.version.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code opdeploy rollback [VERSION]}: instant, no download, no receive. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description =
        "Switch back to the previous version, or to VERSION: no download, no receive, only "
            + "the switch and the service restart.",
    footer = {
      "",
      "Example: opdeploy rollback            # to the previous version",
      "         opdeploy rollback v1.1.0     # to a version still deployed"
    })
public final class RollbackCommand extends ContextCommand {
  @Parameters(
      paramLabel = "VERSION",
      arity = "0..1",
      description = "Deployed version to switch to (default: previous).")
  String version;

  @Override
  protected void execute(CommandContext context) throws OpdeployException {
    Optional<Version> target =
        version == null ? Optional.empty() : Optional.of(Version.parse(version));
    if (context.dryRun()) {
      RollbackPlan plan = TargetCommandSupport.agent(context).planRollback(target);
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("version", plan.version().toString());
      doc.put("previous", plan.previous() == null ? null : plan.previous().toString());
      doc.put("deployment", plan.deployment().toString());
      context
          .console()
          .dryRun(
              "rollback",
              "would switch from "
                  + (plan.previous() == null ? "no active version" : plan.previous())
                  + " to "
                  + plan.version()
                  + " ("
                  + plan.deployment()
                  + ")",
              doc);
      return;
    }
    ActivateCommand.print(
        context,
        "rollback",
        TargetCommandSupport.mutatingAgent(context, "rollback").rollback(target));
  }
}
