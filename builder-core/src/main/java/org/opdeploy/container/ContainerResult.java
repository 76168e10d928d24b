package org.opdeploy.container;

import java.time.Duration;

/**
 * How a program run inside a container ended.
 *
 * @param exitCode its exit code, or -1 when it was killed for taking too long
 * @param timedOut true when it ran past its timeout and was killed with all its processes
 * @param outputTail the last lines of its merged stdout and stderr
 * @param elapsed how long it ran
 */
public record ContainerResult(int exitCode, boolean timedOut, String outputTail, Duration elapsed) {
  public boolean succeeded() {
    return exitCode == 0 && !timedOut;
  }
}
