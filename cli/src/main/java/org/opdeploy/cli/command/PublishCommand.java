package org.opdeploy.cli.command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opdeploy.build.BuildAgent;
import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.cli.context.ContextCommand;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.release.ReleaseLocations;
import org.opdeploy.seal.ReleaseSigner;
import org.opdeploy.seal.TrustedKeys;
import org.opdeploy.store.PublishRequest;
import org.opdeploy.store.PublishResult;
import org.opdeploy.store.ReleaseStore;
import org.opdeploy.version.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code opdeploy publish VERSION --dir DIR --to LOCATION}. */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description =
        "Publish a sealed release folder to GitHub Releases or a directory. The folder "
            + "must verify; it is signed first when unsigned and a signing key is configured.",
    footer = {
      "",
      "Example: opdeploy publish v1.2.0 --dir out/v1.2.0 --to github:acme/op-dbus",
      "         (with GITHUB_TOKEN; OPDEPLOY_SIGNING_KEY too for an unsigned folder)"
    })
public final class PublishCommand extends ContextCommand {
  @Parameters(paramLabel = "VERSION")
  String version;

  @Option(names = "--dir", paramLabel = "DIR", description = "The folder send wrote.")
  Path dir;

  /** The old spelling: {@code --from} names a release source everywhere else. */
  @Option(names = "--from", paramLabel = "DIR", hidden = true)
  Path deprecatedFrom;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "LOCATION",
      description = "github:OWNER/REPO or dir:PATH")
  String to;

  @Option(names = "--draft", description = "Leave the GitHub release as a draft.")
  boolean draft;

  @Option(names = "--require-signature", description = "Refuse a folder without SHA256SUMS.asc.")
  boolean requireSignature;

  @Option(
      names = "--allow-unsigned",
      description =
          "Publish a folder without SHA256SUMS.asc when no signing key is set (not recommended).")
  boolean allowUnsigned;

  @Mixin ReleaseNotesOptions notes;

  @Mixin InstallerOption installer;

  @Override
  protected void execute(CommandContext context) throws OpdeployException {
    Version v = Version.parse(version);
    if (deprecatedFrom != null) {
      context
          .console()
          .warn("publish --from DIR is deprecated: use --dir DIR (--from names a release source)");
    }
    Path from = dir != null ? dir : deprecatedFrom;
    if (from == null) {
      throw new BadInputException("publish needs --dir DIR: the folder send wrote");
    }
    ReleaseStore store = ReleaseLocations.openStore(to, context.env());
    BuildAgent agent = context.buildAgent();
    ReleaseSigner signer = agent.signer();
    agent.requireSignedOrAllowed(from, allowUnsigned);
    Path trusted = context.settings().trustedKeys();
    TrustedKeys keys = Files.isRegularFile(trusted) ? TrustedKeys.load(trusted) : null;
    PublishRequest request =
        new PublishRequest(v, from, v.toString(), notes.text(v), draft, v.isPrerelease());
    if (context.dryRun()) {
      context
          .console()
          .dryRun(
              "publish",
              "would "
                  + (signer != null ? "seal and " : "")
                  + "publish "
                  + from
                  + " as "
                  + v
                  + " to "
                  + store.describe()
                  + (draft ? " (draft)" : "")
                  + installer.path().map(p -> " with installer " + p.getFileName()).orElse(""),
              Map.of("to", store.describe()));
      return;
    }
    PublishResult result =
        agent.publish(
            request, store, keys, requireSignature, allowUnsigned, installer.path().orElse(null));
    print(context, v, store, result);
  }

  static void print(CommandContext context, Version v, ReleaseStore store, PublishResult result)
      throws OpdeployException {
    context
        .console()
        .result(
            "published "
                + v
                + " to "
                + result.url()
                + (result.draft() ? " (draft)" : "")
                + ": "
                + result.uploaded().size()
                + " uploaded, "
                + result.skipped().size()
                + " already there");
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("version", v.toString());
    doc.put("to", store.describe());
    doc.put("url", result.url());
    doc.put("draft", result.draft());
    doc.put("uploaded", result.uploaded());
    doc.put("skipped", result.skipped());
    doc.put("assets", result.assets());
    context.console().document("publish", doc);
    context.actions().output("release-url", result.url());
    context
        .actions()
        .output("assets", String.join("\n", result.assets().stream().map(a -> a.name()).toList()));
  }
}
