package org.opdeploy.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What to run and how to wire it. By default stdout and stderr are captured (stdout whole up to a
 * bound, stderr as a tail) and stdin is closed; {@link #stdin} and {@link #stdout} stream instead.
 * The child's environment is explicit (see {@link ChildEnvironment}): the allow-list, the names in
 * {@code passedThrough} and the variables in {@code environment}, nothing else.
 */
public record ProcessSpec(
    List<String> argv,
    Duration timeout,
    Map<String, String> environment,
    Set<String> passedThrough,
    Path workingDirectory,
    StdinWriter stdin,
    StdoutReader stdout,
    boolean mergeStderr) {

  /** Feeds the process's stdin; the runner closes the stream afterwards. */
  @FunctionalInterface
  public interface StdinWriter {
    void write(OutputStream in) throws IOException;
  }

  /** Consumes the process's stdout completely. */
  @FunctionalInterface
  public interface StdoutReader {
    void read(InputStream out) throws IOException;
  }

  public ProcessSpec {
    argv = List.copyOf(argv);
    environment = Map.copyOf(environment);
    passedThrough = Set.copyOf(passedThrough);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("empty command line");
    }
  }

  public static ProcessSpec of(List<String> argv) {
    return new ProcessSpec(
        argv, Duration.ofMinutes(10), Map.of(), Set.of(), null, null, null, false);
  }

  public static ProcessSpec of(String... argv) {
    return of(List.of(argv));
  }

  public ProcessSpec withTimeout(Duration value) {
    return new ProcessSpec(
        argv, value, environment, passedThrough, workingDirectory, stdin, stdout, mergeStderr);
  }

  public ProcessSpec withEnvironment(Map<String, String> value) {
    return new ProcessSpec(
        argv, timeout, value, passedThrough, workingDirectory, stdin, stdout, mergeStderr);
  }

  /** Passes these variables from opdeploy's environment too, when set (never a secret). */
  public ProcessSpec passing(Set<String> names) {
    Set<String> all = new HashSet<>(passedThrough);
    all.addAll(names);
    return new ProcessSpec(
        argv, timeout, environment, all, workingDirectory, stdin, stdout, mergeStderr);
  }

  public ProcessSpec withWorkingDirectory(Path value) {
    return new ProcessSpec(
        argv, timeout, environment, passedThrough, value, stdin, stdout, mergeStderr);
  }

  public ProcessSpec withStdin(StdinWriter value) {
    return new ProcessSpec(
        argv, timeout, environment, passedThrough, workingDirectory, value, stdout, mergeStderr);
  }

  public ProcessSpec withStdout(StdoutReader value) {
    return new ProcessSpec(
        argv, timeout, environment, passedThrough, workingDirectory, stdin, value, mergeStderr);
  }

  /** Sends stderr into the captured stdout, so that a failure shows the interleaved tail. */
  public ProcessSpec withMergedStderr() {
    return new ProcessSpec(
        argv, timeout, environment, passedThrough, workingDirectory, stdin, stdout, true);
  }

  /** The command line as a user would type it, for messages. */
  public String commandLine() {
    return String.join(" ", argv);
  }
}
