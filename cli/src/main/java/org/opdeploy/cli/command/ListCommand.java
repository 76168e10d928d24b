package org.opdeploy.cli.command;

import java.util.List;
import java.util.Map;
import org.opdeploy.cli.config.SettingsResolver;
import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.cli.context.ContextCommand;
import org.opdeploy.cli.output.Bytes;
import org.opdeploy.deploy.update.AvailableRelease;
import org.opdeploy.deploy.update.AvailableReleases;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.snapshot.SnapshotEntry;
import picocli.CommandLine.Command;

/** {@code opdeploy list}: the versioned snapshots in the pool. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description =
        "List the versioned snapshots in the pool, oldest first. With --source [SOURCE], on a "
            + "target: the releases at the source (default: the source setting), which are installed and "
            + "active, and for newer ones the stream a deploy would receive and its size.",
    footer = {
      "",
      "Example: opdeploy --pool /srv/op-dbus list --json",
      "         opdeploy list --source"
    })
public final class ListCommand extends ContextCommand {
  @Override
  protected void execute(CommandContext context) throws OpdeployException {
    if (((SettingsResolver.FlagValues) spec.root().userObject()).source() != null) {
      listSource(context);
      return;
    }
    List<SnapshotEntry> snapshots = context.buildAgent().snapshots();
    if (snapshots.isEmpty()) {
      context.console().result("no snapshots in " + context.pool().pool());
    }
    for (SnapshotEntry s : snapshots) {
      context
          .console()
          .result(
              String.format(
                  "%-24s %-36s %s%s",
                  s.version(), s.uuid(), s.path(), s.readOnly() ? "" : "  (NOT read-only)"));
    }
    context
        .console()
        .document(
            "list",
            Map.of(
                "pool",
                context.pool().pool().toString(),
                "snapshots",
                snapshots.stream()
                    .map(
                        s ->
                            Map.of(
                                "version",
                                s.version().toString(),
                                "path",
                                s.path().toString(),
                                "uuid",
                                s.uuid(),
                                "read_only",
                                s.readOnly()))
                    .toList()));
  }

  private static void listSource(CommandContext context) throws OpdeployException {
    AvailableReleases available = AvailableReleasesSupport.read(context, null, true);
    if (available.releases().isEmpty()) {
      context.console().result("no releases at " + available.source());
    }
    for (AvailableRelease r : available.releases()) {
      String state =
          r.active()
              ? "active"
              : r.installed() ? "installed" : !r.allowed() ? "not on track" : "available";
      String stream =
          r.stream() == null
              ? ""
              : r.stream()
                  + (r.parent() == null ? "" : " from " + r.parent())
                  + (r.downloadBytes() < 0 ? "" : ", " + Bytes.format(r.downloadBytes()));
      context
          .console()
          .result(String.format("%-24s %-12s %s", r.version(), state, stream).stripTrailing());
    }
    context
        .console()
        .line(
            "track "
                + available.track()
                + "; newest to upgrade to: "
                + available.newest().map(Object::toString).orElse("none"));
    Map<String, Object> doc = AvailableReleasesSupport.fields(available);
    doc.put(
        "releases", available.releases().stream().map(AvailableReleasesSupport::fields).toList());
    context.console().document("list", doc);
  }
}
