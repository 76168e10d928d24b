package org.opdeploy.cli.command;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.cli.context.ContextCommand;
import org.opdeploy.deploy.boot.BootResult;
import org.opdeploy.deploy.prepare.PrepareCheck;
import org.opdeploy.deploy.prepare.PrepareReport;
import org.opdeploy.deploy.prune.PruneResult;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code opdeploy target prepare|prune}. */
@Command(
    name = "target",
    mixinStandardHelpOptions = true,
    description = "Prepare or prune a target.",
    footer = {"", "Example: opdeploy target prepare --root /var/lib/opdeploy"},
    subcommands = {
      TargetCommand.Prepare.class,
      TargetCommand.Prune.class,
      TargetCommand.Boot.class
    })
public final class TargetCommand {

  /** Checks the target can take releases and creates its layout. */
  @Command(
      name = "prepare",
      mixinStandardHelpOptions = true,
      description =
          "Check the target (btrfs root, btrfs-progs, kernel send protocol, free space, "
              + "trusted keys) and create its layout. Exit 1 naming what is missing.",
      footer = {
        "",
        "Example: opdeploy target prepare --root /var/lib/opdeploy \\",
        "           --trusted-keys /etc/opdeploy/trusted.asc"
      })
  public static final class Prepare extends ContextCommand {
    @Override
    protected void execute(CommandContext context) throws OpdeployException {
      PrepareReport report =
          TargetCommandSupport.mutatingAgent(context, "target prepare")
              .prepare(context.settings().sendProtocol().version());
      for (PrepareCheck check : report.checks()) {
        context
            .console()
            .result((check.ok() ? "ok   " : "FAIL ") + check.name() + ": " + check.detail());
      }
      context
          .console()
          .document("target prepare", Map.of("ready", report.ready(), "checks", report.checks()));
      report.requireReady();
    }
  }

  /** Mounts the active version and starts its service at boot (opdeploy-boot.service runs it). */
  @Command(
      name = "boot",
      mixinStandardHelpOptions = true,
      description =
          "Mount the active version and start its service; an upgrade whose health check "
              + "never finished is undone first, so the version active before it comes back. "
              + "Run at every boot by opdeploy-boot.service.",
      footer = {"", "Example: opdeploy target boot"})
  public static final class Boot extends ContextCommand {
    @Override
    protected void execute(CommandContext context) throws OpdeployException {
      if (context.dryRun()) {
        context
            .console()
            .dryRun(
                "target boot",
                "would mount the active version (last-known-good if the active one"
                    + " never passed its health check) at "
                    + context.settings().mount()
                    + " and start its service",
                Map.of());
        return;
      }
      Optional<BootResult> result =
          TargetCommandSupport.mutatingAgent(context, "target boot").boot();
      Map<String, Object> doc = new LinkedHashMap<>();
      if (result.isEmpty()) {
        context.console().result("nothing activated on this target: nothing to mount");
      } else {
        BootResult booted = result.get();
        context
            .console()
            .result(
                "booted "
                    + booted.activation().version()
                    + " (mounted at "
                    + context.settings().mount()
                    + (booted.activation().restarted()
                        ? ", " + booted.activation().unit() + " started"
                        : "")
                    + ")"
                    + (booted.skipped() == null
                        ? ""
                        : "; " + booted.skipped() + " never passed its health check"));
        doc.put("version", booted.activation().version().toString());
        doc.put("unit", booted.activation().unit());
        doc.put("restarted", booted.activation().restarted());
        doc.put("skipped", booted.skipped() == null ? null : booted.skipped().toString());
      }
      context.console().document("target boot", doc);
    }
  }

  /** Removes old deployments, never the active, previous, last-known-good or a needed parent. */
  @Command(
      name = "prune",
      mixinStandardHelpOptions = true,
      description =
          "Delete old deployments: keep N, and never the active, previous or last-known-good "
              + "version, nor a parent a kept version needs for its next incremental.",
      footer = {"", "Example: opdeploy target prune --keep 3"})
  public static final class Prune extends ContextCommand {
    @Option(
        names = "--keep",
        required = true,
        paramLabel = "N",
        description = "Deployments to keep (at least 1).")
    int keep;

    @Override
    protected void execute(CommandContext context) throws OpdeployException {
      if (keep < 1) {
        throw new BadInputException("--keep must be at least 1");
      }
      boolean dryRun = context.dryRun();
      PruneResult result =
          dryRun
              ? TargetCommandSupport.agent(context).planPrune(keep)
              : TargetCommandSupport.mutatingAgent(context, "target prune").prune(keep);
      String removed = dryRun ? "would remove " : "removed ";
      result.removed().forEach(v -> context.console().result(removed + v));
      if (result.removed().isEmpty()) {
        context.console().result(dryRun ? "nothing to remove" : "nothing removed");
      }
      result
          .kept()
          .forEach(
              (v, why) ->
                  context
                      .console()
                      .result((dryRun ? "would keep " : "kept ") + v + " (" + why + ")"));
      Map<String, Object> doc = new LinkedHashMap<>();
      if (dryRun) {
        doc.put("dry_run", true);
      }
      doc.put("removed", result.removed().stream().map(Object::toString).toList());
      Map<String, String> kept = new LinkedHashMap<>();
      result.kept().forEach((v, why) -> kept.put(v.toString(), why));
      doc.put("kept", kept);
      context.console().document("target prune", doc);
    }
  }
}
