package org.opdeploy.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.opdeploy.deploy.state.CrashPoint;

/**
 * Runs one target command of {@link DeployMain} in a child JVM against a {@link TargetFixture}'s
 * target, the way the CLI would run it (service none), optionally with {@code
 * OPDEPLOY_TEST_CRASH_AT} set so that it dies at a named point. The child runs under {@code
 * setsid}, so it leads its own process group and a test can SIGKILL the whole group.
 */
final class ChildTarget {
  /** How a child ended: its exit code, stdout and stderr. */
  record Result(int exitCode, String stdout, String stderr) {
    /** The last line of stderr: the one-line error or warning a user reads. */
    String lastLine() {
      String[] lines = stderr.strip().split("\n");
      return lines[lines.length - 1];
    }
  }

  private final TargetFixture fx;
  private final Path logs;
  private int runs;
  private List<ProcessHandle> survivors = List.of();

  ChildTarget(TargetFixture fx, Path logs) {
    this.fx = fx;
    this.logs = logs;
  }

  /** Runs {@code command} to its end; {@code crashAt} may be null. */
  Result run(String crashAt, String... command) throws Exception {
    Process child = start(crashAt, command);
    if (!child.waitFor(180, TimeUnit.SECONDS)) {
      child.destroyForcibly();
      throw new AssertionError(
          "the child did not finish within 180 s: " + String.join(" ", command));
    }
    return result(child.exitValue());
  }

  /**
   * Starts {@code command}, then SIGKILLs its process group (and tree) as soon as {@code when}
   * holds.
   */
  Result killGroupWhen(BooleanSupplier when, String... command) throws Exception {
    Process child = start(null, command);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    try {
      while (!when.getAsBoolean()) {
        if (!child.isAlive()) {
          throw new AssertionError(
              "the child ended before the kill point: " + result(child.exitValue()));
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the kill point was not reached within 120 s");
        }
        Thread.sleep(10);
      }
      List<ProcessHandle> tree = child.descendants().toList();
      new ProcessBuilder("kill", "-KILL", "--", "-" + child.pid()).inheritIO().start().waitFor();
      child.waitFor(30, TimeUnit.SECONDS);
      survivors = survivorsOf(tree);
      return result(child.exitValue());
    } finally {
      child.destroyForcibly();
      child.descendants().forEach(ProcessHandle::destroyForcibly);
    }
  }

  /**
   * The processes the last {@link #killGroupWhen} found alive 5 s after the kill (none expected).
   */
  List<ProcessHandle> survivors() {
    return survivors;
  }

  private static List<ProcessHandle> survivorsOf(List<ProcessHandle> tree)
      throws InterruptedException {
    for (int i = 0; i < 50 && tree.stream().anyMatch(ProcessHandle::isAlive); i++) {
      Thread.sleep(100);
    }
    List<ProcessHandle> alive = tree.stream().filter(ProcessHandle::isAlive).toList();
    alive.forEach(ProcessHandle::destroyForcibly); // ours: never leave them running
    return alive;
  }

  private Process start(String crashAt, String... command) throws IOException {
    runs++;
    List<String> argv =
        new ArrayList<>(
            List.of(
                "setsid",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                DeployMain.class.getName(),
                "target",
                fx.settings.root().toString(),
                fx.settings.trustedKeys().toString(),
                fx.settings.mount().toString(),
                fx.settings.overlay().toString()));
    argv.addAll(List.of(command));
    ProcessBuilder builder =
        new ProcessBuilder(argv)
            .redirectOutput(logs.resolve("child-" + runs + ".out").toFile())
            .redirectError(logs.resolve("child-" + runs + ".err").toFile());
    builder.environment().remove(CrashPoint.VARIABLE);
    if (crashAt != null) {
      builder.environment().put(CrashPoint.VARIABLE, crashAt);
    }
    return builder.start();
  }

  private Result result(int exitCode) throws IOException {
    return new Result(
        exitCode,
        Files.readString(logs.resolve("child-" + runs + ".out")),
        Files.readString(logs.resolve("child-" + runs + ".err")));
  }
}
