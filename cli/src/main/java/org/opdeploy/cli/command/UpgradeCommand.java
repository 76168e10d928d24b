package org.opdeploy.cli.command;

import java.util.LinkedHashMap;
import java.util.Map;
import org.opdeploy.cli.CommandContext;
import org.opdeploy.cli.ContextCommand;
import org.opdeploy.deploy.activate.UpgradeResult;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.version.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code opdeploy upgrade VERSION --from SOURCE}: deploy, activate, health check, roll back on failure. */
@Command(name = "upgrade", mixinStandardHelpOptions = true,
    description = "Deploy and activate a version, then run its health check; when the check fails, "
        + "switch back to the previous version automatically and exit 1.",
    footer = {"", "Example: opdeploy upgrade v1.2.0 --from github:acme/op-dbus"})
public final class UpgradeCommand extends ContextCommand {
  @Mixin ReleaseChoice release;

  @Option(names = "--keep-cache", description = "Also keep the proven stream files in <root>/cache/VERSION/"
      + " (by default a release with a chunk index is streamed and nothing of it is cached).")
  boolean keepCache;

  @Override
  protected void execute(CommandContext context) throws OpdeployException {
    Version v = release.version();
    var source = release.source(context);
    if (context.dryRun()) {
      context.console().dryRun("upgrade",
          "would fetch " + v + " from " + source.describe() + ", verify, receive, activate and"
          + " health-check it, rolling back on failure",
          Map.of("version", v.toString()));
      return;
    }
    UpgradeResult result = TargetCommandSupport.mutatingAgent(context, "upgrade").withKeepCache(keepCache)
        .upgrade(v, source, release.allowDowngrade);
    context.console().result("upgraded to " + v + " via the " + (result.deploy().incremental()
        ? "incremental stream from " + result.deploy().parent() : "full stream") + " (" + result.deploy().streamBytes()
        + " bytes); healthy after " + result.health().took().toMillis() + " ms");
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("deploy", DeployCommand.fields(result.deploy()));
    doc.put("activation", ActivateCommand.fields(result.activation()));
    doc.put("healthy", result.health().healthy());
    doc.put("health_ms", result.health().took().toMillis());
    context.console().document("upgrade", doc);
  }
}
