package org.opdeploy.cli.command;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.opdeploy.build.BuildAgent;
import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.cli.context.ContextCommand;
import org.opdeploy.cli.output.StreamTable;
import org.opdeploy.container.Container;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.golden.GoldenSpec;
import org.opdeploy.manifest.Compression;
import org.opdeploy.release.ReleaseLocations;
import org.opdeploy.release.ReleaseRequest;
import org.opdeploy.release.ReleaseResult;
import org.opdeploy.seal.ReleaseSigner;
import org.opdeploy.snapshot.PoolLayout;
import org.opdeploy.store.ReleaseStore;
import org.opdeploy.stream.ParentSelection;
import org.opdeploy.version.Version;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code opdeploy release VERSION|--nightly --to LOCATION}: the whole build side in one command.
 */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    description =
        "Refresh, validate, snapshot, send, seal and publish one version. A rerun after a "
            + "failure resumes instead of redoing finished steps.",
    footer = {
      "",
      "Example: OPDBUS_BIN=target/release/op-dbus OPDEPLOY_SIGNING_KEY=@key.asc \\",
      "           opdeploy release v1.2.0 --to github:acme/op-dbus \\",
      "           --notes-from-git ../operation-dbus"
    })
public final class ReleaseCommand extends ContextCommand {

  static final class Which {
    @Parameters(paramLabel = "VERSION", description = "The version to release.")
    String version;

    @Option(
        names = "--nightly",
        description = "Release the next nightly-YYYYMMDD[.N] of today (a prerelease).")
    boolean nightly;
  }

  @ArgGroup(multiplicity = "1")
  Which which;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "LOCATION",
      description = "github:OWNER/REPO or dir:PATH")
  String to;

  @Option(
      names = "--parent",
      paramLabel = "auto|none|VERSION",
      defaultValue = "auto",
      description = "Parent of the incremental stream (default auto).")
  String parent;

  @Option(names = "--draft", description = "Leave the GitHub release as a draft.")
  boolean draft;

  @Option(
      names = "--allow-unsigned",
      description = "Publish without a signature (not recommended).")
  boolean allowUnsigned;

  @Mixin GoldenCommand.RunnerOption runner;

  @Mixin ReleaseNotesOptions notes;

  @Mixin InstallerOption installer;

  @Override
  protected void execute(CommandContext context) throws OpdeployException {
    ParentSelection parentSelection = ParentSelection.parse(parent);
    Compression compression = Compression.parse(context.settings().compress());
    Version fixed = which.nightly ? null : Version.parse(which.version);
    ReleaseStore store = ReleaseLocations.openStore(to, context.env());
    BuildAgent agent = context.buildAgent();
    ReleaseSigner signer = agent.signer();
    if (signer == null && !allowUnsigned) {
      throw new BadInputException(
          "no signing key: set OPDEPLOY_SIGNING_KEY (armored key or @file) and "
              + "OPDEPLOY_SIGNING_PASSPHRASE, or pass --allow-unsigned");
    }
    GoldenSpec spec = context.goldenSpec();
    PoolLayout pool = agent.pool();
    Container container = runner.create(context);
    if (context.dryRun()) {
      agent.requirePool("release");
      Version v = fixed != null ? fixed : agent.nextNightly(store);
      context
          .console()
          .dryRun(
              "release",
              "would release "
                  + v
                  + ": refresh "
                  + pool.golden()
                  + " ("
                  + spec.steps().size()
                  + " steps, "
                  + container.name()
                  + "), validate, snapshot "
                  + pool.snapshot(v)
                  + ", send (parent "
                  + parentSelection
                  + ", "
                  + compression
                  + "), "
                  + (signer != null ? "sign, " : "")
                  + "publish to "
                  + store.describe()
                  + (draft ? " as a draft" : ""),
              Map.of("version", v.toString(), "to", store.describe()));
      return;
    }
    long start = System.nanoTime();
    ReleaseResult result =
        agent.release(
            Optional.ofNullable(fixed),
            store,
            v ->
                new ReleaseRequest(
                    v,
                    parentSelection,
                    compression,
                    context.settings().maxAssetBytes(),
                    context.settings().stepTimeout(),
                    store,
                    notes.text(v),
                    draft,
                    !allowUnsigned,
                    context.settings().sendProtocol(),
                    installer.path().orElse(null)),
            spec,
            container);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    StreamTable.text(result.manifest()).forEach(context.console()::result);
    context
        .console()
        .result(
            "released "
                + result.manifest().version()
                + " to "
                + result.published().url()
                + (result.published().draft() ? " (draft)" : "")
                + " in "
                + elapsed.toSeconds()
                + " s"
                + (result.signer() != null ? ", signed by " + result.signer() : ", UNSIGNED"));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("version", result.manifest().version());
    doc.put("url", result.published().url());
    doc.put("draft", result.published().draft());
    doc.put("signer", result.signer());
    doc.put("folder", result.directory().toString());
    doc.put(
        "timings_ms",
        result.timings().entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toMillis())));
    doc.put("manifest", result.manifest());
    context.console().document("release", doc);
    ReleaseOutputs.write(context, result.manifest(), result.published().url());
    context
        .actions()
        .summary(
            StreamTable.markdown(
                result.manifest(),
                result.signer() != null
                    ? "checksums and signature verified (" + result.signer() + ")"
                    : "checksums verified, unsigned",
                elapsed.toSeconds() + " s"));
  }
}
