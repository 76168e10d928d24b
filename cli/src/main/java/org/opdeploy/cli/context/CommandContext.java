package org.opdeploy.cli.context;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opdeploy.build.BuildAgent;
import org.opdeploy.cli.actions.ActionsProgress;
import org.opdeploy.cli.actions.GitHubActions;
import org.opdeploy.cli.config.ConfigFile;
import org.opdeploy.cli.config.Settings;
import org.opdeploy.cli.config.SettingsResolver;
import org.opdeploy.cli.output.Console;
import org.opdeploy.cli.output.ProgressRenderer;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.golden.DurationText;
import org.opdeploy.golden.GoldenSpec;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.snapshot.PoolLayout;

/**
 * What every command runs with: the resolved settings, the console, progress reporting, the Actions
 * integration, the one process runner, and the build facade ({@link BuildAgent}) that build
 * commands call.
 */
public final class CommandContext {
  private static final List<String> SECRET_VARIABLES =
      List.of("GITHUB_TOKEN", "OPDEPLOY_SIGNING_PASSPHRASE");

  private final OpdeployCommand global;
  private final Map<String, String> env;
  private final Console console;
  private final GitHubActions actions;
  private final ProgressRenderer renderer;
  private final ProgressListener progress;
  private final ProcessRunner runner = new ProcessRunner();
  private Settings settings;
  private PoolLayout pool;
  private Optional<GoldenSpec> builtSpec;
  private String command = "";
  private BuildAgent buildAgent;

  CommandContext(
      OpdeployCommand global, Map<String, String> env, PrintStream out, PrintStream err) {
    this.global = global;
    this.env = Map.copyOf(env);
    this.console = new Console(out, err, global.json, global.quiet, global.verbose);
    this.actions = GitHubActions.fromEnvironment(env, global.json ? err : out);
    // Before anything can print them: the runner hides these from the log from here on. The key
    // itself is never printed, and echoing its lines into a mask command would spread it further.
    for (String secret : SECRET_VARIABLES) {
      String value = env.get(secret);
      if (value != null && !value.startsWith("@")) {
        actions.mask(value);
      }
    }
    boolean terminal = System.console() != null && !"true".equals(env.get("CI"));
    this.renderer = new ProgressRenderer(err, terminal, global.quiet, env);
    this.progress = actions.enabled() ? new ActionsProgress(renderer, actions) : renderer;
  }

  public Settings settings() throws OpdeployException {
    if (settings == null) {
      settings = new SettingsResolver(global, ConfigFile.locate(global.config)).resolve();
    }
    return settings;
  }

  /** The build pool, named by --name, else the golden spec's name, else op-dbus. */
  public PoolLayout pool() throws OpdeployException {
    if (pool == null) {
      Settings s = settings();
      String name =
          s.name() != null
              ? s.name()
              : builtSpec().map(GoldenSpec::name).orElse(PoolLayout.DEFAULT_NAME);
      pool = new PoolLayout(s.pool(), name);
    }
    return pool;
  }

  /**
   * The golden spec as commands that ship or list what was built read it (empty when there is
   * none): refused exactly as {@code golden validate} refuses it, only the payload's variables may
   * be unset.
   */
  public Optional<GoldenSpec> builtSpec() throws OpdeployException {
    if (builtSpec == null) {
      builtSpec = GoldenSpec.loadIfPresent(settings().golden(), env);
    }
    return builtSpec;
  }

  /** The golden spec, with ${VAR} expanded from this run's environment. */
  public GoldenSpec goldenSpec() throws OpdeployException {
    return GoldenSpec.load(settings().golden(), env);
  }

  public Map<String, String> env() {
    return env;
  }

  public Console console() {
    return console;
  }

  public GitHubActions actions() {
    return actions;
  }

  public ProgressListener progress() {
    return progress;
  }

  /**
   * Ends a progress line being redrawn, so that what is printed next starts on a line of its own.
   */
  public void endProgressLine() {
    renderer.breakLine();
  }

  public ProcessRunner runner() {
    return runner;
  }

  public boolean dryRun() {
    return global.dryRun;
  }

  public boolean stacktrace() {
    return global.stacktrace;
  }

  /** How long to wait for another run's lock: zero unless {@code --wait}. */
  public Duration lockWait() throws OpdeployException {
    return global.waitForLock == null
        ? Duration.ZERO
        : DurationText.parse(global.waitForLock, "--wait");
  }

  /**
   * The build side for this run: the pool, this run's process runner and progress, the lock wait of
   * {@code --wait}, and the signing key and identity from the environment.
   */
  public BuildAgent buildAgent() throws OpdeployException {
    if (buildAgent == null) {
      buildAgent =
          new BuildAgent(pool(), runner, progress, lockWait(), env, settings().signingKeyId());
    }
    return buildAgent;
  }

  /**
   * The build pool, for a command that reads or changes it: refused (exit 2) without root, since
   * the pool and its snapshots are root's and kept 0700, and when it is not on btrfs, naming {@code
   * --pool}.
   */
  public PoolLayout requirePool(String command) throws OpdeployException {
    return buildAgent().requirePool(command);
  }

  /**
   * Refuses (exit 2, as {@link #requireRoot}) a command that only reads {@code folder} (a target's
   * root, kept 0700 by root) when it is neither this user's nor open to others: it would otherwise
   * report an empty target, or an intact audit log, it never saw.
   */
  public void requireReadable(Path folder) throws OpdeployException {
    if (isRoot() || !Files.isDirectory(folder)) {
      return;
    }
    PosixFileAttributes attributes;
    try {
      attributes = Files.readAttributes(folder, PosixFileAttributes.class);
    } catch (IOException | UnsupportedOperationException e) {
      return; // what cannot be inspected is left to the command's own reading to report
    }
    boolean ours = attributes.owner().getName().equals(System.getProperty("user.name"));
    boolean open =
        attributes.permissions().contains(PosixFilePermission.OTHERS_READ)
            && attributes.permissions().contains(PosixFilePermission.OTHERS_EXECUTE);
    if (!ours && !open) {
      throw new BadInputException(
          "opdeploy " + command + " needs root to read " + folder + ": run it with sudo");
    }
  }

  /** Names the command being run ({@code target prune}), for messages that refuse it. */
  void running(String command) {
    this.command = command;
  }

  /**
   * Refuses (exit 2) to start a command that changes subvolumes, mounts or services without root:
   * btrfs-progs would otherwise fail halfway with a bare "Operation not permitted".
   */
  public void requireRoot(String command) throws OpdeployException {
    BuildAgent.requireRoot(command);
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
