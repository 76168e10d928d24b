package org.opdeploy.cli.command;

import java.util.ArrayList;
import java.util.List;
import org.opdeploy.cli.actions.GitHubActions;
import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.Manifest;

/**
 * Step outputs a workflow can use after send or release: version, parent, assets, sizes, digests.
 */
final class ReleaseOutputs {
  private ReleaseOutputs() {}

  static void write(CommandContext context, Manifest manifest, String releaseUrl)
      throws OpdeployException {
    GitHubActions actions = context.actions();
    if (!actions.enabled()) {
      return;
    }
    actions.output("version", manifest.version().toString());
    actions.output(
        "parent",
        manifest.streams().stream()
            .filter(s -> s.parent() != null)
            .map(s -> s.parent().version().toString())
            .findFirst()
            .orElse(""));
    if (releaseUrl != null) {
      actions.output("release-url", releaseUrl);
    }
    List<String> names = new ArrayList<>();
    List<String> sizes = new ArrayList<>();
    List<String> digests = new ArrayList<>();
    for (Manifest.Stream stream : manifest.streams()) {
      for (Manifest.StreamFile file : stream.files()) {
        names.add(file.name());
        sizes.add(file.name() + "=" + file.size());
        digests.add(file.sha256() + "  " + file.name());
      }
    }
    actions.output("assets", String.join("\n", names));
    actions.output("sizes", String.join("\n", sizes));
    actions.output("sha256", String.join("\n", digests));
  }
}
