package org.opdeploy.cli.command;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opdeploy.build.BuildAgent;
import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.cli.context.ContextCommand;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.seal.TrustedKeys;
import org.opdeploy.seal.VerifiedRelease;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code opdeploy verify DIR}: the offline check a target makes before trusting a release. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description =
        "Check a release folder offline: the signature on SHA256SUMS against the trusted "
            + "keys, then every checksum, then the manifest against the files. Exit 3 on any failure.",
    footer = {"", "Example: opdeploy verify ./out/v1.2.0 --trusted-keys /etc/opdeploy/trusted.asc"})
public final class VerifyCommand extends ContextCommand {
  @Parameters(paramLabel = "DIR", description = "Release folder (what send or fetch wrote).")
  Path dir;

  @Option(
      names = "--allow-unsigned",
      description = "Accept a folder without SHA256SUMS.asc (checksums only).")
  boolean allowUnsigned;

  @Override
  protected void execute(CommandContext context) throws OpdeployException {
    TrustedKeys keys =
        allowUnsigned && !context.settings().trustedKeys().toFile().exists()
            ? null
            : TrustedKeys.load(context.settings().trustedKeys());
    VerifiedRelease release =
        BuildAgent.verifyFolder(dir, keys, !allowUnsigned, context.progress());
    String signer = release.signed() ? "signed by " + release.signerFingerprint() : "UNSIGNED";
    context
        .console()
        .result(
            "verified "
                + release.manifest().name()
                + " "
                + release.manifest().version()
                + ": "
                + release.checksums().size()
                + " files, "
                + signer);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("directory", dir.toString());
    doc.put("name", release.manifest().name());
    doc.put("version", release.manifest().version());
    doc.put("signed", release.signed());
    doc.put("signer", release.signerFingerprint());
    doc.put("files", release.checksums());
    context.console().document("verify", doc);
  }
}
