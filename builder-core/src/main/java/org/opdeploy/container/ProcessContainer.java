package org.opdeploy.container;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.process.ProcessFailedException;
import org.opdeploy.process.ProcessResult;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;

/**
 * What both runners share: run the wrapped command line through the one {@link ProcessRunner},
 * stream its output by lines, and turn the runner's timeout into a {@link ContainerResult} (the
 * runner has already killed the whole process tree by then).
 */
abstract class ProcessContainer implements Container {
  protected final ProcessRunner runner;

  ProcessContainer(ProcessRunner runner) {
    this.runner = runner;
  }

  /** The host command line that runs {@code argv} inside {@code root}. */
  abstract List<String> command(Path root, List<String> argv, Map<String, String> env)
      throws OpdeployException;

  /** True for lines the runner itself prints that say nothing about the program. */
  boolean isNoise(String line) {
    return false;
  }

  /** Runs after every attempt, failed or not. */
  void afterRun(Path root) throws OpdeployException {}

  @Override
  public ContainerResult run(
      Path root,
      List<String> argv,
      Map<String, String> env,
      Duration timeout,
      Consumer<String> output)
      throws OpdeployException {
    if (!Files.isDirectory(root)) {
      throw new BadInputException(
          root + " is not a directory: cannot run " + argv.get(0) + " inside it");
    }
    OutputLines lines = new OutputLines(output, line -> !isNoise(line));
    ProcessSpec spec =
        ProcessSpec.of(command(root, argv, env))
            .withTimeout(timeout)
            .withMergedStderr()
            .withStdout(lines::read);
    long start = System.nanoTime();
    try {
      ProcessResult result = runner.runAllowingFailure(spec);
      return new ContainerResult(result.exitCode(), false, lines.tail(), since(start));
    } catch (ProcessFailedException e) {
      Duration elapsed = since(start);
      if (e.processExitCode() == -1
          && elapsed.compareTo(timeout) >= 0
          && !Thread.currentThread().isInterrupted()) {
        return new ContainerResult(-1, true, lines.tail(), elapsed);
      }
      throw e;
    } finally {
      afterRun(root);
    }
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
