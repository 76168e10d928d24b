package org.opdeploy.cli.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.opdeploy.cli.CommandContext;
import org.opdeploy.cli.ContextCommand;
import org.opdeploy.cli.output.StreamTable;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.golden.GoldenSpec;
import org.opdeploy.golden.SpecDigest;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.manifest.Compression;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.release.BuildSource;
import org.opdeploy.seal.ReleaseSigner;
import org.opdeploy.seal.ReleaseVerifier;
import org.opdeploy.seal.SealReleaseStep;
import org.opdeploy.snapshot.PoolLayout;
import org.opdeploy.stream.ParentSelection;
import org.opdeploy.stream.ReleaseContext;
import org.opdeploy.stream.SendResult;
import org.opdeploy.stream.SendSettings;
import org.opdeploy.stream.SendStreamStep;
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

  /**
   * A finished send of {@code v} in {@code out} without SHA256SUMS.asc whose files verify, else
   * null.
   */
  private SendResult completeButUnsigned(PoolLayout pool, Version v, CommandContext context) {
    if (!Files.isRegularFile(out.resolve(AssetNames.SHA256SUMS))
        || Files.exists(out.resolve(AssetNames.SHA256SUMS_SIGNATURE))) {
      return null;
    }
    try {
      Manifest manifest =
          new ReleaseVerifier(null, ProgressListener.NONE).verify(out, false).manifest();
      if (!manifest.version().equals(v) || !manifest.name().equals(pool.name())) {
        return null;
      }
      List<Path> files;
      try (Stream<Path> entries = Files.list(out)) {
        files = entries.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
      }
      return new SendResult(manifest, out, out.resolve(AssetNames.manifest(pool.name(), v)), files);
    } catch (OpdeployException | IOException | RuntimeException e) {
      return null; // not a complete send: the send step refuses the folder with its own message
    }
  }

  @Override
  protected void execute(CommandContext context) throws OpdeployException {
    Version v = Version.parse(version);
    ParentSelection parentSelection = ParentSelection.parse(parent);
    Compression compression = Compression.parse(context.settings().compress());
    PoolLayout pool = context.pool();
    ReleaseSigner signer =
        ReleaseSigner.fromEnvironment(context.env(), context.settings().signingKeyId());
    Optional<GoldenSpec> spec = context.builtSpec();
    String specSha256 = spec.isPresent() ? SpecDigest.of(spec.get().folder()) : null;
    // Opening the git repository takes a good part of a second: let it run beside btrfs send.
    CompletableFuture<BuildSource> detected =
        CompletableFuture.supplyAsync(
            () -> BuildSource.detect(context.env(), Path.of("").toAbsolutePath()));
    Supplier<ReleaseContext> releaseContext =
        () -> {
          BuildSource source = detected.join();
          return spec.map(
                  s ->
                      new ReleaseContext(
                              s.service(),
                              s.health() == null
                                  ? null
                                  : new Manifest.Health(
                                      s.health().command(), s.health().timeout().toSeconds()),
                              specSha256,
                              source.commit(),
                              source.tag(),
                              null)
                          .withServiceAccount(s.serviceAccount()))
              .orElse(new ReleaseContext(null, null, null, source.commit(), source.tag(), null));
        };
    SendSettings settings =
        SendSettings.of(v, out)
            .withParent(parentSelection)
            .withCompression(compression)
            .withMaxAssetBytes(context.settings().maxAssetBytes())
            .withProtocol(context.settings().sendProtocol());
    if (context.dryRun()) {
      context.btrfs().requireBtrfs(pool.pool());
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
    SendResult result =
        context.underPoolLock(
            "send",
            v.toString(),
            () -> {
              SendResult unsigned = signer == null ? null : completeButUnsigned(pool, v, context);
              if (unsigned != null) {
                // Killed between the last rename and the signature: the streams are proven, sign
                // them.
                context
                    .progress()
                    .info(
                        "the send in "
                            + out
                            + " is complete and verifies but was never signed: signing it");
                new SealReleaseStep(out, signer, context.progress()).run();
                return unsigned;
              }
              SendResult sent =
                  new SendStreamStep(
                          pool, context.btrfs(), settings, releaseContext, context.progress())
                      .run();
              if (signer != null) {
                // Signs from the digests send took while writing: no file is read again.
                new SealReleaseStep(out, signer, context.progress())
                    .withKnownDigests(sent.sha256s())
                    .run();
              }
              return sent;
            });
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
