package org.opdeploy.cli.command;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.opdeploy.build.BuildAgent;
import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.cli.context.ContextCommand;
import org.opdeploy.cli.output.StreamTable;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.golden.GoldenSpec;
import org.opdeploy.manifest.Compression;
import org.opdeploy.seal.ReleaseSigner;
import org.opdeploy.snapshot.PoolLayout;
import org.opdeploy.stream.ParentSelection;
import org.opdeploy.stream.SendResult;
import org.opdeploy.stream.SendSettings;
import org.opdeploy.version.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code opdeploy send VERSION --out DIR}. */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description =
        "Write the full stream of a snapshot, and the incremental one against its parent, "
            + "compressed, split, checksummed, with SHA256SUMS and the manifest; signed when a key is set.",
    footer = {
      "",
      "Example: opdeploy --pool /srv/op-dbus send v1.2.0 --parent auto --out out/v1.2.0"
    })
public final class SendCommand extends ContextCommand {
  @Parameters(paramLabel = "VERSION")
  String version;

  @Option(
      names = "--parent",
      paramLabel = "auto|none|VERSION",
      defaultValue = "auto",
      description =
          "Parent of the incremental stream: auto (newest older read-only snapshot), none, or a version.")
  String parent;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Empty or new output folder.")
  Path out;

  @Override
  protected void execute(CommandContext context) throws OpdeployException {
    Version v = Version.parse(version);
    ParentSelection parentSelection = ParentSelection.parse(parent);
    Compression compression = Compression.parse(context.settings().compress());
    BuildAgent agent = context.buildAgent();
    PoolLayout pool = agent.pool();
    ReleaseSigner signer = agent.signer();
    Optional<GoldenSpec> spec = context.builtSpec();
    SendSettings settings =
        SendSettings.of(v, out)
            .withParent(parentSelection)
            .withCompression(compression)
            .withMaxAssetBytes(context.settings().maxAssetBytes())
            .withProtocol(context.settings().sendProtocol());
    if (context.dryRun()) {
      agent.requirePool("send");
      context
          .console()
          .dryRun(
              "send",
              "would send "
                  + pool.snapshot(v)
                  + " (parent "
                  + parentSelection
                  + ", "
                  + compression
                  + ", "
                  + context.settings().sendProtocol()
                  + ") to "
                  + out
                  + (signer != null ? " and sign it with " + signer.fingerprint() : ""),
              Map.of("out", out.toString()));
      return;
    }
    long start = System.nanoTime();
    SendResult result = agent.send(settings, spec);
    StreamTable.text(result.manifest()).forEach(context.console()::result);
    context
        .console()
        .result(
            "wrote "
                + result.files().size()
                + " files to "
                + out
                + (signer != null ? ", signed by " + signer.fingerprint() : ""));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("version", v.toString());
    doc.put("out", out.toString());
    doc.put("signed", signer != null);
    doc.put("manifest", result.manifest());
    context.console().document("send", doc);
    ReleaseOutputs.write(context, result.manifest(), null);
    context
        .actions()
        .summary(
            StreamTable.markdown(
                result.manifest(),
                signer != null
                    ? "checksums written and signed by " + signer.fingerprint()
                    : "checksums written, unsigned",
                (System.nanoTime() - start) / 1_000_000_000 + " s"));
  }
}
