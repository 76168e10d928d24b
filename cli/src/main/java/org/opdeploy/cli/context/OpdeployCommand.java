package org.opdeploy.cli.context;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.opdeploy.cli.config.SettingsResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code opdeploy} command. Global options and every setting flag are inherited, so they are
 * accepted before or after the subcommand; their values land in this one object. The subcommands
 * are added by {@code org.opdeploy.cli.Subcommands}.
 */
@Command(
    name = "opdeploy",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = "Ships systems as signed btrfs snapshots: build, publish, deploy, roll back.",
    footer = {
      "",
      "Exit codes: 0 success, 1 operation failed, 2 bad usage or input,",
      "            3 verification failed, 4 another run holds the lock,",
      "            5 check-new found nothing newer.",
      "Example:    opdeploy --pool /srv/op-dbus release v1.2.0 --to github:acme/op-dbus"
    })
public final class OpdeployCommand implements SettingsResolver.FlagValues, Callable<Integer> {
  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private CommandContext context;

  public OpdeployCommand(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  @Spec CommandSpec spec;

  /** Without a subcommand: show what there is to do, and exit 2 (bad usage). */
  @Override
  public Integer call() {
    spec.commandLine().usage(err);
    int code = org.opdeploy.error.ExitCode.BAD_INPUT.code();
    if (json) {
      context().console().error("no command given: see 'opdeploy --help'", code);
    }
    return code;
  }

  /** The context, made once options are parsed. */
  public CommandContext context() {
    if (context == null) {
      context = new CommandContext(this, env, out, err);
    }
    return context;
  }

  @Option(
      names = "--config",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "Settings file (YAML). Default ./opdeploy.yaml, then /etc/opdeploy/opdeploy.yaml.")
  Path config;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "Print one JSON document on stdout and nothing else there.")
  boolean json;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Say more.")
  boolean verbose;

  @Option(
      names = {"-q", "--quiet"},
      scope = ScopeType.INHERIT,
      description = "Only errors and results.")
  boolean quiet;

  @Option(
      names = "--stacktrace",
      scope = ScopeType.INHERIT,
      description = "Show the full stack trace of an error.")
  boolean stacktrace;

  @Option(
      names = "--wait",
      scope = ScopeType.INHERIT,
      paramLabel = "DURATION",
      arity = "0..1",
      fallbackValue = "24h",
      description = "Wait for another run's lock instead of exiting 4 (default: up to 24h).")
  String waitForLock;

  @Option(
      names = "--dry-run",
      scope = ScopeType.INHERIT,
      description = "Check inputs and print what would happen; change nothing.")
  boolean dryRun;

  @Option(
      names = "--pool",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description = "Build pool on btrfs (default /srv/op-dbus).")
  Path pool;

  @Option(
      names = "--golden",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description = "Golden spec folder (default golden/).")
  Path golden;

  @Option(
      names = "--name",
      scope = ScopeType.INHERIT,
      paramLabel = "NAME",
      description = "Payload name (default op-dbus; else the golden spec's name).")
  String name;

  @Option(
      names = "--compress",
      scope = ScopeType.INHERIT,
      paramLabel = "zstd[:LEVEL]|none",
      description = "Stream compression (default zstd, level 3).")
  String compress;

  @Option(
      names = "--max-asset-bytes",
      scope = ScopeType.INHERIT,
      paramLabel = "BYTES",
      description = "Split streams into parts above this size (default 2000000000).")
  Long maxAssetBytes;

  @Option(
      names = "--signing-key-id",
      scope = ScopeType.INHERIT,
      paramLabel = "ID",
      description = "Pin the signing (sub)key when several can sign.")
  String signingKeyId;

  @Option(
      names = "--step-timeout",
      scope = ScopeType.INHERIT,
      paramLabel = "DURATION",
      description = "Kill a provisioning step running longer than this (default 60m).")
  String stepTimeout;

  @Option(
      names = "--send-protocol",
      scope = ScopeType.INHERIT,
      paramLabel = "1|2",
      description =
          "btrfs send protocol (default 1: every target receives it; 2 needs btrfs-progs 6.0 on targets).")
  String sendProtocol;

  @Option(
      names = "--compressed-data",
      scope = ScopeType.INHERIT,
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "true|false",
      description = "Send extents compressed as on disk (needs --send-protocol 2).")
  Boolean compressedData;

  @Option(
      names = "--root",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description = "Target root on btrfs (default /var/lib/opdeploy).")
  Path root;

  // Without a value (list --source): the configured source.
  @Option(
      names = "--source",
      scope = ScopeType.INHERIT,
      paramLabel = "SOURCE",
      arity = "0..1",
      fallbackValue = "",
      description = "Default release source: github:OWNER/REPO, dir:PATH or https://BASE.")
  String source;

  @Option(
      names = "--track",
      scope = ScopeType.INHERIT,
      paramLabel = "stable|prerelease|nightly",
      description = "Releases upgrade latest and check-new consider (default stable).")
  String track;

  @Option(
      names = "--trusted-keys",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "Armored public keys trusted to sign releases (default /etc/opdeploy/trusted.asc).")
  Path trustedKeys;

  @Option(
      names = "--mount",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description = "Where the active deployment is mounted read-only (default /opt/op-dbus).")
  Path mount;

  @Option(
      names = "--overlay",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description = "Writable overlay of the deployment (default /usr/local/op-dbus).")
  Path overlay;

  @Option(
      names = "--service",
      scope = ScopeType.INHERIT,
      paramLabel = "systemd|none",
      description = "Service integration on the target (default systemd).")
  String service;

  @Option(
      names = "--ca-file",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description = "PEM CA certificates an https:// source may use, besides the system's.")
  Path caFile;

  @Override
  public Path pool() {
    return pool;
  }

  @Override
  public Path golden() {
    return golden;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String compress() {
    return compress;
  }

  @Override
  public Long maxAssetBytes() {
    return maxAssetBytes;
  }

  @Override
  public String signingKeyId() {
    return signingKeyId;
  }

  @Override
  public String stepTimeout() {
    return stepTimeout;
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public Path trustedKeys() {
    return trustedKeys;
  }

  @Override
  public Path mount() {
    return mount;
  }

  @Override
  public Path overlay() {
    return overlay;
  }

  @Override
  public String service() {
    return service;
  }

  @Override
  public Path caFile() {
    return caFile;
  }

  @Override
  public String sendProtocol() {
    return sendProtocol;
  }

  @Override
  public Boolean compressedData() {
    return compressedData;
  }

  @Override
  public String track() {
    return track;
  }
}
