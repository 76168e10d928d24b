package org.opdeploy.cli.command;

import java.util.LinkedHashMap;
import java.util.Map;
import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.cli.context.ContextCommand;
import org.opdeploy.deploy.activate.ActivationResult;
import org.opdeploy.deploy.layout.TargetLayout;
import org.opdeploy.deploy.layout.TargetSettings;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.version.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code opdeploy activate VERSION}. */
@Command(
    name = "activate",
    mixinStandardHelpOptions = true,
    description =
        "Switch to a deployed version atomically: current link, read-only mount, overlay, "
            + "service restart, state.json.",
    footer = {"", "Example: opdeploy activate v1.2.0 --service none"})
public final class ActivateCommand extends ContextCommand {
  @Parameters(paramLabel = "VERSION")
  String version;

  @Override
  protected void execute(CommandContext context) throws OpdeployException {
    Version v = Version.parse(version);
    if (context.dryRun()) {
      context
          .console()
          .dryRun(
              "activate",
              "would switch "
                  + new TargetLayout(context.settings().root()).current()
                  + " to "
                  + v
                  + ", mount it at "
                  + context.settings().mount()
                  + (context.settings().service() == TargetSettings.ServiceMode.NONE
                      ? " (service: none: no service restarted)"
                      : " and restart its service"),
              Map.of("version", v.toString()));
      return;
    }
    print(context, "activate", TargetCommandSupport.mutatingAgent(context, "activate").activate(v));
  }

  static void print(CommandContext context, String command, ActivationResult result) {
    context
        .console()
        .result(
            "active: "
                + result.version()
                + (result.previous() == null ? "" : " (was " + result.previous() + ")")
                + ", switched in "
                + result.switchTime().toMillis()
                + " ms"
                + (result.restarted() ? ", " + result.unit() + " restarted" : ""));
    context.console().document(command, fields(result));
  }

  static Map<String, Object> fields(ActivationResult result) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("version", result.version().toString());
    doc.put("previous", result.previous() == null ? null : result.previous().toString());
    doc.put("deployment", result.deployment().toString());
    doc.put("unit", result.unit());
    doc.put("restarted", result.restarted());
    doc.put("switch_ms", result.switchTime().toNanos() / 1e6);
    return doc;
  }
}
