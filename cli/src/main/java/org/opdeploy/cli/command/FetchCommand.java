package org.opdeploy.cli.command;

import java.util.LinkedHashMap;
import java.util.Map;
import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.cli.context.ContextCommand;
import org.opdeploy.deploy.layout.TargetLayout;
import org.opdeploy.deploy.release.FetchedRelease;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.version.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code opdeploy fetch VERSION --from SOURCE}. */
@Command(
    name = "fetch",
    mixinStandardHelpOptions = true,
    description =
        "Download and verify what this target needs of a release (the incremental stream "
            + "when it holds the parent, else the full one) into <root>/cache/VERSION; resumable.",
    footer = {"", "Example: opdeploy fetch v1.2.0 --from github:acme/op-dbus"})
public final class FetchCommand extends ContextCommand {
  @Mixin ReleaseChoice release;

  @Override
  protected void execute(CommandContext context) throws OpdeployException {
    Version v = release.version();
    var source = release.source(context);
    if (context.dryRun()) {
      context
          .console()
          .dryRun(
              "fetch",
              "would download what this target needs of "
                  + v
                  + " from "
                  + source.describe()
                  + " into "
                  + new TargetLayout(context.settings().root()).cache(v)
                  + " and verify it",
              Map.of("version", v.toString()));
      return;
    }
    FetchedRelease fetched =
        TargetCommandSupport.mutatingAgent(context, "fetch")
            .fetch(v, source, release.allowDowngrade);
    context
        .console()
        .result(
            "fetched "
                + v
                + " ("
                + (fetched.incremental()
                    ? "incremental from " + fetched.stream().parent().version()
                    : "full")
                + " stream, "
                + fetched.downloadedBytes()
                + " bytes) into "
                + fetched.directory()
                + ": verified");
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("version", v.toString());
    doc.put("directory", fetched.directory().toString());
    doc.put("stream", fetched.stream().kind());
    doc.put(
        "parent", fetched.stream().parent() == null ? null : fetched.stream().parent().version());
    doc.put("bytes", fetched.downloadedBytes());
    doc.put("verified", true);
    context.console().document("fetch", doc);
  }
}
