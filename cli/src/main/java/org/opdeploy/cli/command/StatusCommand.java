package org.opdeploy.cli.command;

import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.cli.context.ContextCommand;
import org.opdeploy.cli.output.Bytes;
import org.opdeploy.deploy.status.InstalledVersion;
import org.opdeploy.deploy.status.PendingDownload;
import org.opdeploy.deploy.status.StatusReport;
import org.opdeploy.error.OpdeployException;
import picocli.CommandLine.Command;

/** {@code opdeploy status}. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Show the active, previous and last-known-good versions, installed deployments with "
            + "sizes, failed versions, the source and pending downloads.",
    footer = {"", "Example: opdeploy status --json"})
public final class StatusCommand extends ContextCommand {
  @Override
  protected void execute(CommandContext context) throws OpdeployException {
    StatusReport status = TargetCommandSupport.agent(context).status();
    context.console().result("active:          " + orNone(status.active()));
    context.console().result("previous:        " + orNone(status.previous()));
    context.console().result("last-known-good: " + orNone(status.lastKnownGood()));
    context.console().result("source:          " + orNone(status.source()));
    context.console().result("installed:");
    for (InstalledVersion v : status.installed()) {
      context
          .console()
          .result(
              String.format(
                  "  %-24s %10s  %s",
                  v.version(), v.bytes() < 0 ? "?" : Bytes.format(v.bytes()), v.path()));
    }
    if (!status.failed().isEmpty()) {
      context
          .console()
          .result(
              "failed:          "
                  + status.failed().stream()
                      .map(Object::toString)
                      .collect(java.util.stream.Collectors.joining(", ")));
    }
    if (status.pendingSwitch() != null) {
      context
          .console()
          .result(
              "switch pending:  "
                  + status.pendingSwitch().command()
                  + " "
                  + orNone(status.pendingSwitch().from())
                  + " -> "
                  + status.pendingSwitch().to()
                  + " (interrupted unless running now; the next target command completes or undoes it)");
    }
    for (PendingDownload p : status.pendingDownloads()) {
      context
          .console()
          .result(
              "pending download: "
                  + p.version()
                  + " "
                  + p.file().getFileName()
                  + " ("
                  + Bytes.format(p.bytes())
                  + " so far)");
    }
    context.console().document("status", status);
  }

  private static String orNone(Object value) {
    return value == null ? "(none)" : value.toString();
  }
}
