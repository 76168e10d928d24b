package org.opdeploy.cli.command;

import java.util.LinkedHashMap;
import java.util.Map;
import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.cli.context.ContextCommand;
import org.opdeploy.deploy.layout.TargetLayout;
import org.opdeploy.deploy.receive.DeployResult;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.version.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code opdeploy deploy VERSION --from SOURCE}: fetch, verify, receive; does not activate. */
@Command(
    name = "deploy",
    mixinStandardHelpOptions = true,
    description =
        "Fetch, verify and receive a release as the read-only deployment "
            + "<root>/deploy/@<name>-VERSION, without activating it.",
    footer = {"", "Example: opdeploy deploy v1.2.0 --from dir:/srv/releases"})
public final class DeployCommand extends ContextCommand {
  @Mixin ReleaseChoice release;

  @Option(
      names = "--keep-cache",
      description =
          "Also keep the proven stream files in <root>/cache/VERSION/"
              + " (by default a release with a chunk index is streamed and nothing of it is cached).")
  boolean keepCache;

  @Override
  protected void execute(CommandContext context) throws OpdeployException {
    Version v = release.version();
    var source = release.source(context);
    if (context.dryRun()) {
      context
          .console()
          .dryRun(
              "deploy",
              "would fetch "
                  + v
                  + " from "
                  + source.describe()
                  + ", verify it and receive it into "
                  + new TargetLayout(context.settings().root()).deployments(),
              Map.of("version", v.toString()));
      return;
    }
    DeployResult result =
        TargetCommandSupport.mutatingAgent(context, "deploy")
            .withKeepCache(keepCache)
            .deploy(v, source, release.allowDowngrade);
    print(context, "deploy", result);
  }

  static void print(CommandContext context, String command, DeployResult result) {
    context
        .console()
        .result(
            (result.alreadyDeployed() ? "already deployed " : "deployed ")
                + result.version()
                + " at "
                + result.deployment()
                + (result.incremental()
                    ? " (incremental from " + result.parent() + ", "
                    : " (full stream, ")
                + result.streamBytes()
                + " bytes)");
    context.console().document(command, fields(result));
  }

  static Map<String, Object> fields(DeployResult result) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("version", result.version().toString());
    doc.put("deployment", result.deployment().toString());
    doc.put("uuid", result.uuid());
    doc.put("stream", result.incremental() ? "incremental" : "full");
    doc.put("parent", result.parent() == null ? null : result.parent().toString());
    doc.put("stream_bytes", result.streamBytes());
    doc.put("already_deployed", result.alreadyDeployed());
    return doc;
  }
}
