package org.opdeploy.cli.command;

import java.util.LinkedHashMap;
import java.util.Map;
import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.cli.context.ContextCommand;
import org.opdeploy.cli.output.Bytes;
import org.opdeploy.deploy.activate.UpgradeResult;
import org.opdeploy.deploy.fetch.FetchPlan;
import org.opdeploy.deploy.update.AvailableReleases;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.version.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code opdeploy upgrade VERSION --from SOURCE}: deploy, activate, health check, roll back on
 * failure.
 */
@Command(
    name = "upgrade",
    mixinStandardHelpOptions = true,
    description =
        "Deploy and activate a version, then run its health check; when the check fails, "
            + "switch back to the previous version automatically and exit 1. VERSION 'latest' is the newest "
            + "release newer than the active one that the track allows (nothing to do: exit 0).",
    footer = {
      "",
      "Example: opdeploy upgrade v1.2.0 --from github:acme/op-dbus",
      "         opdeploy upgrade latest"
    })
public final class UpgradeCommand extends ContextCommand {
  private static final String LATEST = "latest";

  @Mixin ReleaseChoice release;

  @Option(
      names = "--keep-cache",
      description =
          "Also keep the proven stream files in <root>/cache/VERSION/"
              + " (by default a release with a chunk index is streamed and nothing of it is cached).")
  boolean keepCache;

  @Override
  protected void execute(CommandContext context) throws OpdeployException {
    var source = release.source(context);
    Version v;
    if (LATEST.equals(release.version)) {
      AvailableReleases available =
          TargetCommandSupport.agent(context).available(source, context.settings().track(), false);
      if (available.newest().isEmpty()) {
        context
            .console()
            .result(
                "already up to date: "
                    + available.active().map(Object::toString).orElse("nothing")
                    + " is active and "
                    + source.describe()
                    + " has nothing newer on the "
                    + available.track()
                    + " track");
        Map<String, Object> doc = AvailableReleasesSupport.fields(available);
        doc.put("upgraded", false);
        context.console().document("upgrade", doc);
        return;
      }
      v = available.newest().get();
    } else {
      v = release.version();
    }
    if (context.dryRun()) {
      FetchPlan plan =
          TargetCommandSupport.agent(context).planUpgrade(v, source, release.allowDowngrade);
      Map<String, Object> deploy = new LinkedHashMap<>();
      deploy.put("version", v.toString());
      deploy.put(
          "stream", plan.alreadyDeployed() ? "none" : plan.incremental() ? "incremental" : "full");
      deploy.put("parent", plan.parent() == null ? null : plan.parent().toString());
      deploy.put("stream_bytes", plan.alreadyDeployed() ? 0 : plan.streamBytes());
      deploy.put("already_deployed", plan.alreadyDeployed());
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("deploy", deploy);
      context
          .console()
          .dryRun(
              "upgrade",
              plan.alreadyDeployed()
                  ? v
                      + " is already deployed: would activate and health-check it, rolling back on failure"
                  : "would receive the "
                      + (plan.incremental()
                          ? "incremental stream from " + plan.parent()
                          : "full stream")
                      + " of "
                      + v
                      + " from "
                      + source.describe()
                      + " ("
                      + plan.streamBytes()
                      + " bytes, "
                      + Bytes.format(plan.storedBytes())
                      + " stored), then activate and health-check it, rolling back on failure",
              doc);
      return;
    }
    UpgradeResult result =
        TargetCommandSupport.mutatingAgent(context, "upgrade")
            .withKeepCache(keepCache)
            .upgrade(v, source, release.allowDowngrade);
    context
        .console()
        .result(
            "upgraded to "
                + v
                + " via the "
                + (result.deploy().incremental()
                    ? "incremental stream from " + result.deploy().parent()
                    : "full stream")
                + " ("
                + result.deploy().streamBytes()
                + " bytes)"
                + (result.activation().restarted()
                    ? ", " + result.activation().unit() + " restarted"
                    : "")
                + "; healthy after "
                + result.health().took().toMillis()
                + " ms");
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("upgraded", true);
    doc.put("deploy", DeployCommand.fields(result.deploy()));
    doc.put("activation", ActivateCommand.fields(result.activation()));
    doc.put("healthy", result.health().healthy());
    doc.put("health_ms", result.health().took().toMillis());
    context.console().document("upgrade", doc);
  }
}
