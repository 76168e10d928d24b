package org.opdeploy.cli.command;

import java.util.LinkedHashMap;
import java.util.Map;
import org.opdeploy.build.BuildAgent;
import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.cli.context.ContextCommand;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.snapshot.PrunePlan;
import org.opdeploy.snapshot.PruneResult;
import org.opdeploy.snapshot.SnapshotEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code opdeploy prune --keep N}, and {@code prune --releases --keep N --to STORE}. */
@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description =
        "Delete old snapshots: keep the newest N and every parent a kept version's "
            + "published incremental needs; never the golden. With --releases, delete old "
            + "nightly releases (and their tags) from a release store instead: keep the newest "
            + "N nightlies; never a stable release.",
    footer = {
      "",
      "Example: opdeploy --pool /srv/op-dbus prune --keep 10 --dry-run",
      "Example: opdeploy prune --releases --keep 14 --to github:acme/op-dbus --dry-run"
    })
public final class PruneCommand extends ContextCommand {
  @Option(
      names = "--keep",
      required = true,
      paramLabel = "N",
      description = "Snapshots (with --releases: nightly releases) to keep (at least 1).")
  int keep;

  @Option(
      names = "--releases",
      description = "Prune nightly releases in the store named by --to, not snapshots.")
  boolean releases;

  @Option(
      names = "--to",
      paramLabel = "STORE",
      description = "With --releases: github:OWNER/REPO or dir:PATH.")
  String to;

  @Override
  protected void execute(CommandContext context) throws OpdeployException {
    if (keep < 1) {
      throw new BadInputException("--keep must be at least 1");
    }
    if (releases || to != null) {
      if (!releases || to == null) {
        throw new BadInputException(
            "--releases and --to go together: prune --releases --keep N --to github:OWNER/REPO");
      }
      new PruneReleases(context, to, keep).run();
      return;
    }
    BuildAgent agent = context.buildAgent();
    if (context.dryRun()) {
      PrunePlan plan = agent.planPrune(keep);
      plan.delete().forEach(s -> context.console().result("would delete " + s.path()));
      context
          .console()
          .result(
              plan.delete().isEmpty()
                  ? "nothing to delete: "
                      + plan.keep().size()
                      + " snapshot(s) in "
                      + context.pool().pool()
                      + ", all kept"
                  : "would keep " + plan.keep().size() + ", delete " + plan.delete().size());
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("dry_run", true);
      doc.put("deleted", plan.delete().stream().map(s -> s.version().toString()).toList());
      doc.put("kept", plan.keep().stream().map(s -> s.version().toString()).toList());
      context.console().document("prune", doc);
      return;
    }
    PruneResult result = agent.prune(keep);
    result.deleted().forEach(s -> context.console().result("deleted " + s.path()));
    if (result.deleted().isEmpty()) {
      context.console().result("nothing to delete");
    }
    context
        .console()
        .result("kept " + result.kept().size() + ", deleted " + result.deleted().size());
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put(
        "deleted",
        result.deleted().stream().map(SnapshotEntry::version).map(Object::toString).toList());
    doc.put(
        "kept", result.kept().stream().map(SnapshotEntry::version).map(Object::toString).toList());
    context.console().document("prune", doc);
  }
}
