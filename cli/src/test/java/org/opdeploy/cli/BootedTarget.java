package org.opdeploy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opdeploy.process.ProcessResult;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;

/**
 * A real systemd target: the cached Debian 12 tree of {@code ci/target-os.sh} booted with {@code
 * systemd-nspawn -b} on an overlayfs (the cached tree stays untouched), a loop-backed btrfs bound
 * as opdeploy's root {@code /var/lib/opdeploy}, opdeploy installed as the package would ({@link
 * #installOpdeploy}), and commands run inside through {@code nsenter} into its PID 1. Reboots keep
 * the tree and the btrfs; {@link #close()} powers the container off and unmounts everything, also
 * after a failure.
 */
final class BootedTarget implements AutoCloseable {
  static final String ROOT = "/var/lib/opdeploy";
  static final String RELEASES = "/srv/releases";
  private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);
  private static final String PATH =
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final ProcessRunner runner = new ProcessRunner();
  private final Path dir;
  private final Path tree;
  private final List<String> binds;
  private final String machine;
  private Process nspawn;
  private long pid1;

  private BootedTarget(Path dir, Path tree, List<String> binds) {
    this.dir = dir;
    this.tree = tree;
    this.binds = binds;
    this.machine = "opdeploy-it-" + ProcessHandle.current().pid();
  }

  /**
   * Lays out the target in {@code dir} (not booted yet): the OS tree as an overlay, {@code disk} at
   * {@value #ROOT}, {@code releases} read-only at {@value #RELEASES}, and opdeploy trusting {@code
   * trustedKeys} with {@code dir:}{@value #RELEASES} as its source.
   */
  static BootedTarget create(Path dir, Path disk, Path releases, String trustedKeys)
      throws Exception {
    Path os = targetOs();
    Path upper = Files.createDirectories(dir.resolve("os-upper"));
    Path work = Files.createDirectories(dir.resolve("os-work"));
    Path tree = Files.createDirectories(dir.resolve("os"));
    new ProcessRunner()
        .run(
            "mount",
            "-t",
            "overlay",
            "overlay",
            "-o",
            "lowerdir=" + os + ",upperdir=" + upper + ",workdir=" + work,
            tree.toString());
    BootedTarget target =
        new BootedTarget(
            dir,
            tree,
            List.of(
                "--bind=" + disk + ":" + ROOT,
                "--bind-ro=" + releases + ":" + RELEASES,
                "--bind-ro=" + opdeployJar() + ":/opt/opdeploy/opdeploy.jar"));
    try {
      target.installOpdeploy(trustedKeys);
    } catch (Exception | Error e) {
      target.close();
      throw e;
    }
    return target;
  }

  /**
   * Installs opdeploy into the tree the way its Debian package does: {@code /usr/bin/opdeploy},
   * {@code opdeploy-boot.service} enabled, the trusted keys and a config naming the release source.
   * The one place that decides how opdeploy gets onto the target.
   */
  private void installOpdeploy(String trustedKeys) throws IOException {
    Path bin = tree.resolve("usr/bin/opdeploy");
    Files.writeString(
        bin,
        "#!/bin/sh\nexec java -XX:+UseSerialGC -Xmx200m -XX:TieredStopAtLevel=1"
            + " -jar /opt/opdeploy/opdeploy.jar \"$@\"\n");
    Files.setAttribute(bin, "unix:mode", 0755);
    Path unit = tree.resolve("usr/lib/systemd/system/opdeploy-boot.service");
    try (InputStream in =
        BootedTarget.class.getResourceAsStream(
            "/org/opdeploy/deploy/units/opdeploy-boot.service")) {
      Files.copy(in, unit);
    }
    Path wants =
        Files.createDirectories(tree.resolve("etc/systemd/system/multi-user.target.wants"));
    Files.createSymbolicLink(
        wants.resolve("opdeploy-boot.service"),
        Path.of("/usr/lib/systemd/system/opdeploy-boot.service"));
    Path etc = Files.createDirectories(tree.resolve("etc/opdeploy"));
    Files.writeString(etc.resolve("trusted.asc"), trustedKeys);
    Files.writeString(etc.resolve("opdeploy.yaml"), "source: dir:" + RELEASES + "\n");
  }

  /** Boots the tree and waits until systemd says the system is up (running or degraded). */
  void boot() throws Exception {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "setsid",
                "systemd-nspawn",
                "-q",
                "-b",
                "-D",
                tree.toString(),
                "--register=no",
                "--keep-unit",
                "--machine=" + machine,
                "--console=passive",
                // Its own network namespace: the container keeps CAP_NET_ADMIN (the service's
                // capability)
                // without any power over the host's network.
                "--private-network"));
    argv.addAll(binds);
    nspawn =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nspawn.log").toFile()))
            .start();
    long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
    String state = "";
    while (System.nanoTime() < deadline) {
      if (!nspawn.isAlive()) {
        throw new IllegalStateException(
            "systemd-nspawn exited "
                + nspawn.exitValue()
                + ": "
                + Files.readString(dir.resolve("nspawn.log")));
      }
      if (pid1 == 0) {
        pid1 = containerPid1();
      }
      if (pid1 != 0) {
        state = exec("systemctl", "is-system-running").stdout().strip();
        if (state.equals("running") || state.equals("degraded")) {
          return;
        }
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "the target did not boot within " + BOOT_TIMEOUT + " (state " + state + ")");
  }

  /** The container's PID 1: the child of nspawn (the setsid'd process execs nspawn). */
  private long containerPid1() throws IOException {
    Path children =
        Path.of(
            "/proc", Long.toString(nspawn.pid()), "task", Long.toString(nspawn.pid()), "children");
    if (!Files.exists(children)) {
      return 0;
    }
    String text = Files.readString(children).strip();
    return text.isEmpty() ? 0 : Long.parseLong(text.split(" ")[0]);
  }

  /**
   * Runs {@code argv} inside the target (all its namespaces), with a clean environment; the result
   * holds its stdout and the end of its stderr.
   */
  ProcessResult exec(String... argv) throws Exception {
    List<String> all =
        new ArrayList<>(
            List.of(
                "nsenter",
                "-t",
                Long.toString(pid1),
                "-a",
                "--",
                "/usr/bin/env",
                "-i",
                PATH,
                "LANG=C.UTF-8"));
    all.addAll(List.of(argv));
    return runner.runAllowingFailure(ProcessSpec.of(all).withTimeout(Duration.ofMinutes(3)));
  }

  /** Runs a shell command line inside the target. */
  ProcessResult sh(String command) throws Exception {
    return exec("/bin/sh", "-c", command);
  }

  /** Runs {@code opdeploy ARGS} inside the target, as root. */
  ProcessResult opdeploy(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("opdeploy"));
    argv.addAll(List.of(args));
    return exec(argv.toArray(String[]::new));
  }

  /** {@code systemctl poweroff}, then boots the same tree and disk again. */
  void reboot() throws Exception {
    exec("systemctl", "poweroff");
    awaitExit(Duration.ofSeconds(90));
    boot();
  }

  /**
   * Cuts the power: the container's kernel-level reboot, no service stopped, nothing synced by
   * hand.
   */
  void powerCut() throws Exception {
    exec("systemctl", "poweroff", "--force", "--force");
    awaitExit(Duration.ofSeconds(30));
  }

  private void awaitExit(Duration timeout) throws Exception {
    if (nspawn != null && !nspawn.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      ProcessRunner.killTree(nspawn);
      nspawn.waitFor(10, TimeUnit.SECONDS);
    }
    nspawn = null;
    pid1 = 0;
  }

  @Override
  public void close() throws Exception {
    try {
      if (nspawn != null && nspawn.isAlive() && pid1 != 0) {
        exec("systemctl", "poweroff");
      }
      awaitExit(Duration.ofSeconds(60));
    } finally {
      runner.runAllowingFailure(ProcessSpec.of("umount", "--lazy", tree.toString()));
    }
  }

  /** The cached OS tree, built by {@code ci/target-os.sh} when missing. */
  private static Path targetOs() throws Exception {
    Path script = repository().resolve("ci/target-os.sh");
    ProcessResult result =
        new ProcessRunner()
            .run(ProcessSpec.of(script.toString()).withTimeout(Duration.ofMinutes(15)));
    return Path.of(result.stdout().strip());
  }

  /** The jar {@code mvn package} built (the booted tests run under Failsafe, after package). */
  private static Path opdeployJar() {
    Path jar = repository().resolve("cli/target/opdeploy.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build it with ./opdeploy --version or mvn package");
    }
    return jar;
  }

  private static Path repository() {
    Path here = Path.of("").toAbsolutePath();
    return Files.isDirectory(here.resolve("ci")) ? here : here.getParent();
  }
}
