package org.opdeploy.build;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opdeploy.error.OpdeployException;

/** How long each step of one release took, in the order they ran. */
final class ReleaseTimings {
  private final Map<String, Duration> timings = new LinkedHashMap<>();

  /** One step of a release. */
  @FunctionalInterface
  interface Step<T> {
    T run() throws OpdeployException;
  }

  <T> T time(String name, Step<T> step) throws OpdeployException {
    long start = System.nanoTime();
    T result = step.run();
    timings.put(name, Duration.ofNanos(System.nanoTime() - start));
    return result;
  }

  Map<String, Duration> all() {
    return timings;
  }
}
