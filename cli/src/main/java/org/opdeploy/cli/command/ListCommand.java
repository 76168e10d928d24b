package org.opdeploy.cli.command;

import java.util.List;
import java.util.Map;
import org.opdeploy.cli.CommandContext;
import org.opdeploy.cli.ContextCommand;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.snapshot.SnapshotCatalog;
import org.opdeploy.snapshot.SnapshotEntry;
import picocli.CommandLine.Command;

/** {@code opdeploy list}: the versioned snapshots in the pool. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List the versioned snapshots in the pool, oldest first.",
    footer = {"", "Example: opdeploy --pool /srv/op-dbus list --json"})
public final class ListCommand extends ContextCommand {
  @Override
  protected void execute(CommandContext context) throws OpdeployException {
    context.btrfs().requireBtrfs(context.pool().pool());
    List<SnapshotEntry> snapshots = new SnapshotCatalog(context.pool(), context.btrfs()).list();
    if (snapshots.isEmpty()) {
      context.console().result("no snapshots in " + context.pool().pool());
    }
    for (SnapshotEntry s : snapshots) {
      context.console().result(String.format("%-24s %-36s %s%s", s.version(), s.uuid(), s.path(),
          s.readOnly() ? "" : "  (NOT read-only)"));
    }
    context.console().document("list", Map.of("pool", context.pool().pool().toString(),
        "snapshots", snapshots.stream().map(s -> Map.of("version", s.version().toString(),
            "path", s.path().toString(), "uuid", s.uuid(), "read_only", s.readOnly())).toList()));
  }
}
