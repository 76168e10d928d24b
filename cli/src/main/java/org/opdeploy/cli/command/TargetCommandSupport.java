package org.opdeploy.cli.command;

import org.opdeploy.cli.config.Settings;
import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.deploy.TargetAgent;
import org.opdeploy.deploy.layout.TargetSettings;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.release.ReleaseLocations;
import org.opdeploy.store.ReleaseSource;

/** Builds the target agent and the release source from the resolved settings. */
final class TargetCommandSupport {
  private TargetCommandSupport() {}

  static TargetSettings settings(CommandContext context) throws OpdeployException {
    Settings s = context.settings();
    return new TargetSettings(
        s.root(), s.source(), s.trustedKeys(), s.mount(), s.overlay(), s.service());
  }

  /** The agent for read-only commands (status, prepare's checks). */
  static TargetAgent agent(CommandContext context) throws OpdeployException {
    TargetSettings settings = settings(context);
    context.requireReadable(settings.root());
    return TargetAgent.forHost(settings, context.progress(), context.lockWait());
  }

  /** The agent for a command that receives, mounts or restarts: refused without root. */
  static TargetAgent mutatingAgent(CommandContext context, String command)
      throws OpdeployException {
    context.requireRoot(command);
    TargetAgent agent = agent(context);
    agent.migrateLegacyRoot();
    return agent;
  }

  /** {@code --from}, else the {@code source} setting; one of them is needed. */
  static ReleaseSource source(CommandContext context, String from) throws OpdeployException {
    String location = from != null ? from : context.settings().source();
    if (location == null) {
      throw new BadInputException(
          "no release source: pass --from github:OWNER/REPO|dir:PATH|https://BASE"
              + " or set 'source' in the config file");
    }
    try {
      return ReleaseLocations.openSource(location, context.env(), context.settings().caFile());
    } catch (BadInputException e) {
      throw new BadInputException(
          (from != null ? "--from: " : "source (--source, setting 'source'): ") + e.getMessage());
    }
  }
}
