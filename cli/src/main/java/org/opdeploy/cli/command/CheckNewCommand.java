package org.opdeploy.cli.command;

import java.util.Map;
import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.cli.context.ContextCommand;
import org.opdeploy.deploy.update.AvailableReleases;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.OpdeployException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code opdeploy check-new}: is there a release newer than the active one, on this target's track?
 */
@Command(
    name = "check-new",
    mixinStandardHelpOptions = true,
    description =
        "Print the newest release at the source that is newer than the active version and that "
            + "the track allows, and exit 0; exit 5 when there is none.",
    footer = {"", "Example: opdeploy check-new --from github:acme/op-dbus"})
public final class CheckNewCommand extends ContextCommand {
  @Option(
      names = "--from",
      paramLabel = "SOURCE",
      description = "github:OWNER/REPO, dir:PATH or https://BASE (default: the source setting)")
  String from;

  @Override
  protected void execute(CommandContext context) throws OpdeployException {
    AvailableReleases available = AvailableReleasesSupport.read(context, from, false);
    Map<String, Object> doc = AvailableReleasesSupport.fields(available);
    doc.put("newer", available.newest().isPresent());
    if (available.newest().isPresent()) {
      context.console().result(available.newest().get().toString());
    } else {
      context
          .console()
          .line(
              "no release newer than "
                  + available.active().map(Object::toString).orElse("(none active)")
                  + " on the "
                  + available.track()
                  + " track at "
                  + available.source());
      exitWith(ExitCode.NOTHING_NEWER);
    }
    context.console().document("check-new", doc);
  }
}
