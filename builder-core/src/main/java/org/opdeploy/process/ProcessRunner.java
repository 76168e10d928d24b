package org.opdeploy.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs external programs, the one place that does. It drains stdout and stderr concurrently and
 * waits for both readers before returning, enforces the timeout, kills the whole process tree on
 * timeout, failure or interrupt (restoring the interrupt flag), and turns a non-zero exit into a
 * {@link ProcessFailedException} carrying the command line, exit code and the tail of its output.
 * Every child starts with an explicit environment ({@link ChildEnvironment}), never opdeploy's own.
 */
public class ProcessRunner {
  static final int STDOUT_LIMIT = 64 * 1024 * 1024;
  static final int STDERR_TAIL = 64 * 1024;

  private static final Map<String, String> PACKAGES =
      Map.ofEntries(
          Map.entry("btrfs", "btrfs-progs"),
          Map.entry("mkfs.btrfs", "btrfs-progs"),
          Map.entry("systemd-nspawn", "systemd-container"),
          Map.entry("debootstrap", "debootstrap"),
          Map.entry("zstd", "zstd"),
          Map.entry("gpg", "gnupg"),
          Map.entry("losetup", "mount"),
          Map.entry("mount", "mount"),
          Map.entry("unshare", "util-linux"),
          Map.entry("chroot", "coreutils"),
          Map.entry("systemctl", "systemd"));

  private final Map<String, String> parentEnvironment;

  /** A runner whose children draw their allowed variables from this JVM's environment. */
  public ProcessRunner() {
    this(System.getenv());
  }

  /** A runner whose children draw their allowed variables from {@code parentEnvironment}. */
  public ProcessRunner(Map<String, String> parentEnvironment) {
    this.parentEnvironment = Map.copyOf(parentEnvironment);
  }

  /** Runs to completion and fails on a non-zero exit. */
  public ProcessResult run(ProcessSpec spec)
      throws ProcessFailedException, ProgramNotFoundException {
    ProcessResult result = runAllowingFailure(spec);
    if (result.exitCode() != 0) {
      throw new ProcessFailedException(
          spec.commandLine(),
          result.exitCode(),
          spec.mergeStderr() ? tail(result.stdout()) : result.stderrTail(),
          "exited " + result.exitCode(),
          null);
    }
    return result;
  }

  /** Convenience for a plain command with the default timeout. */
  public ProcessResult run(String... argv) throws ProcessFailedException, ProgramNotFoundException {
    return run(ProcessSpec.of(argv));
  }

  /**
   * Runs to completion and returns whatever exit code the program gave. Still throws when the
   * program cannot start, times out, or its stdin/stdout handlers fail.
   */
  public ProcessResult runAllowingFailure(ProcessSpec spec)
      throws ProcessFailedException, ProgramNotFoundException {
    Process process = start(spec);
    TailBuffer stdoutTail = new TailBuffer(STDOUT_LIMIT);
    TailBuffer stderrTail = new TailBuffer(STDERR_TAIL);
    CompletableFuture<Void> stdout =
        background(
            () -> {
              InputStream out = process.getInputStream();
              if (spec.stdout() != null) {
                spec.stdout().read(out);
                out.transferTo(OutputStream.nullOutputStream());
              } else {
                stdoutTail.drain(out);
              }
            });
    CompletableFuture<Void> stderr = background(() -> stderrTail.drain(process.getErrorStream()));
    CompletableFuture<Void> stdin = background(() -> feed(process, spec));
    // A failing handler (disk full, bad data) must not leave the program blocked on a pipe.
    for (CompletableFuture<Void> handler : java.util.List.of(stdout, stdin)) {
      handler.whenComplete(
          (ignored, failure) -> {
            if (failure != null) {
              killTree(process);
            }
          });
    }
    try {
      long deadline = System.nanoTime() + spec.timeout().toNanos();
      if (!process.waitFor(spec.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
        killTree(process);
        throw new ProcessFailedException(
            spec.commandLine(),
            -1,
            stderrTail.toString(),
            "timed out after " + spec.timeout(),
            null);
      }
      // A child that inherited the pipes can keep them open; bound the wait for the readers.
      long remaining = Math.max(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(5));
      CompletableFuture.allOf(stdout, stderr, stdin).get(remaining, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      killTree(process);
      Thread.currentThread().interrupt();
      throw new ProcessFailedException(
          spec.commandLine(), -1, stderrTail.toString(), "was interrupted", e);
    } catch (ExecutionException e) {
      killTree(process);
      Throwable cause = e.getCause();
      int exit = process.exitValue();
      if (exit != 0 && exit != 137 && !(cause instanceof RuntimeException)) {
        // The program failed first and broke the pipe: its own error is the one to report.
        stderr
            .completeOnTimeout(null, 5, TimeUnit.SECONDS)
            .exceptionally(drainFailure -> null)
            .join();
        return new ProcessResult(exit, stdoutTail.toString(), stderrTail.toString());
      }
      throw new ProcessFailedException(
          spec.commandLine(),
          exit,
          stderrTail.toString(),
          "failed while streaming (" + cause.getMessage() + ")",
          cause);
    } catch (TimeoutException e) {
      killTree(process);
      throw new ProcessFailedException(
          spec.commandLine(), -1, stderrTail.toString(), "left its output open after exiting", e);
    }
    String err = stderrTail.toString();
    return new ProcessResult(
        process.exitValue(), stdoutTail.toString(), spec.mergeStderr() ? "" : err);
  }

  private Process start(ProcessSpec spec) throws ProgramNotFoundException, ProcessFailedException {
    Map<String, String> childEnvironment = ChildEnvironment.of(parentEnvironment, spec);
    List<String> argv = new ArrayList<>(spec.argv());
    // Found on the child's PATH, the one it is given, not on whatever the JVM started with.
    argv.set(0, locate(argv.get(0), childEnvironment.get("PATH")));
    ProcessBuilder builder = new ProcessBuilder(argv);
    Map<String, String> environment = builder.environment();
    environment.clear();
    environment.putAll(childEnvironment);
    if (spec.workingDirectory() != null) {
      builder.directory(spec.workingDirectory().toFile());
    }
    builder.redirectErrorStream(spec.mergeStderr());
    if (spec.stdin() == null) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    try {
      return builder.start();
    } catch (IOException e) {
      String program = spec.argv().get(0);
      if (e.getMessage() != null && e.getMessage().contains("error=2")) {
        String name = program.substring(program.lastIndexOf('/') + 1);
        throw new ProgramNotFoundException(name, packageProviding(name));
      }
      throw new ProcessFailedException(spec.commandLine(), -1, "", "could not start", e);
    }
  }

  /** {@code program} as found on {@code path}; unchanged when it names a file or is not found. */
  static String locate(String program, String path) {
    if (program.contains("/") || path == null) {
      return program;
    }
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return program;
  }

  /** The Debian package that installs {@code program}, for messages that say what to install. */
  public static String packageProviding(String program) {
    return PACKAGES.getOrDefault(program, program);
  }

  private static void feed(Process process, ProcessSpec spec) throws IOException {
    if (spec.stdin() == null) {
      return;
    }
    try (OutputStream in = process.getOutputStream()) {
      spec.stdin().write(in);
    }
  }

  /** Kills the process and everything it started, children first so none is re-parented. */
  public static void killTree(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String tail(String output) {
    return output.length() <= STDERR_TAIL
        ? output
        : output.substring(output.length() - STDERR_TAIL);
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }

  private static CompletableFuture<Void> background(IoAction action) {
    CompletableFuture<Void> future = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                action.run();
                future.complete(null);
              } catch (Throwable t) {
                future.completeExceptionally(t);
              }
            },
            "process-io");
    thread.setDaemon(true);
    thread.start();
    return future;
  }
}
