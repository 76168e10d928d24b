package org.opdeploy.cli.context;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opdeploy.audit.AuditLog;
import org.opdeploy.audit.AuditedRun;
import org.opdeploy.audit.SpaceReserve;
import org.opdeploy.btrfs.Btrfs;
import org.opdeploy.btrfs.BtrfsCli;
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
import org.opdeploy.snapshot.PrivatePool;

/**
 * What every command runs with: the resolved settings, the console, progress reporting, the Actions
 * integration, the one process runner and btrfs, and the lock-and-audit wrapper that every mutating
 * command goes through.
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
  private final Btrfs btrfs = new BtrfsCli(runner);
  private Settings settings;
  private PoolLayout pool;
  private Optional<GoldenSpec> builtSpec;

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

  public Btrfs btrfs() {
    return btrfs;
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
   * Runs a mutating build command: checks the pool is on btrfs, holds {@code <pool>/.opdeploy/lock}
   * for the whole operation, and appends its start and outcome to the pool's audit log (with space
   * set aside in {@code <pool>/.opdeploy/reserve} so that both fit on a full pool).
   */
  public <T> T underPoolLock(String command, String version, AuditedRun.Work<T> operation)
      throws OpdeployException {
    PoolLayout pool = pool();
    btrfs.requireBtrfs(pool.pool());
    requireRoot(command);
    PrivatePool.restrict(pool, progress);
    return new AuditedRun(
            pool.lockFile(),
            new AuditLog(pool.auditLog()),
            lockWait(),
            new SpaceReserve(pool.reserveFile()),
            progress)
        .locked(command, version, operation);
  }

  /**
   * Refuses (exit 2) to start a command that changes subvolumes, mounts or services without root:
   * btrfs-progs would otherwise fail halfway with a bare "Operation not permitted".
   */
  public void requireRoot(String command) throws OpdeployException {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new BadInputException(
          "opdeploy "
              + command
              + " needs root (btrfs subvolumes, mounts, services):"
              + " run it with sudo");
    }
  }
}
