package org.opdeploy.cli.command;

import java.nio.file.Path;
import java.util.Map;
import org.opdeploy.audit.AuditLog;
import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.cli.context.ContextCommand;
import org.opdeploy.deploy.layout.TargetLayout;
import org.opdeploy.error.OpdeployException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code opdeploy audit verify}: proves the audit log's hash chain is intact. */
@Command(
    name = "audit",
    description = "Audit log commands.",
    footer = {"", "Example: opdeploy audit verify --build --pool /srv/op-dbus"},
    subcommands = AuditCommand.Verify.class,
    mixinStandardHelpOptions = true)
public final class AuditCommand {

  /** Checks {@code <root>/audit.log} (or the pool's with {@code --build}). */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = "Check the hash chain of the target's audit log (exit 3 if broken).",
      footer = {"", "Example: opdeploy audit verify --root /var/lib/opdeploy"})
  public static final class Verify extends ContextCommand {
    @Option(
        names = "--build",
        description = "Check the build pool's log (<pool>/.opdeploy/audit.log) instead.")
    boolean build;

    @Override
    protected void execute(CommandContext context) throws OpdeployException {
      Path file =
          build
              ? context.pool().auditLog()
              : new TargetLayout(context.settings().root()).auditLog();
      context.requireReadable(file.getParent());
      int entries = new AuditLog(file).verify();
      context.console().result("audit log " + file + ": " + entries + " entries, chain intact");
      context
          .console()
          .document(
              "audit verify", Map.of("file", file.toString(), "entries", entries, "intact", true));
    }
  }
}
