package org.opdeploy.cli.command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opdeploy.build.BuildAgent;
import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.release.ReleaseLocations;
import org.opdeploy.store.ReleasePrunePlan;
import org.opdeploy.store.ReleaseStore;
import org.opdeploy.version.Version;

/**
 * {@code prune --releases --keep N --to STORE}: renders the release store's prune, or with {@code
 * --dry-run} exactly what it would delete, with the same JSON keys.
 */
final class PruneReleases {
  private final CommandContext context;
  private final String to;
  private final int keep;

  PruneReleases(CommandContext context, String to, int keep) {
    this.context = context;
    this.to = to;
    this.keep = keep;
  }

  void run() throws OpdeployException {
    ReleaseStore store = ReleaseLocations.openStore(to, context.env());
    BuildAgent agent = context.buildAgent();
    boolean dryRun = context.dryRun();
    ReleasePrunePlan plan =
        dryRun ? agent.planReleasePrune(store, keep) : agent.pruneReleases(store, keep);
    String verb = dryRun ? "would delete" : "deleted";
    plan.delete().forEach(v -> context.console().result(verb + " release " + v));
    if (plan.delete().isEmpty()) {
      context
          .console()
          .result(
              "nothing to delete: "
                  + plan.keep().size()
                  + " nightly release(s) on "
                  + store.describe()
                  + ", all kept");
    } else {
      context
          .console()
          .result(
              (dryRun ? "would keep " : "kept ")
                  + plan.keep().size()
                  + " nightly release(s), "
                  + (dryRun ? "delete " : "deleted ")
                  + plan.delete().size()
                  + "; "
                  + plan.stable().size()
                  + " stable release(s) untouched");
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    if (dryRun) {
      doc.put("dry_run", true);
    }
    doc.put("store", store.describe());
    doc.put("deleted", texts(plan.delete()));
    doc.put("kept", texts(plan.keep()));
    doc.put("stable", texts(plan.stable()));
    context.console().document("prune", doc);
  }

  private static List<String> texts(List<Version> versions) {
    return versions.stream().map(Version::text).toList();
  }
}
