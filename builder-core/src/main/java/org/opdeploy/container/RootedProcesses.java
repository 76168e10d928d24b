package org.opdeploy.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The processes whose root directory is a given tree ({@code /proc/PID/root}). Killing a
 * container's PID 1 makes the kernel kill the rest of its PID namespace, but asynchronously: this
 * finishes the job and waits, so that when a run returns nothing it started is still running.
 */
final class RootedProcesses {
  private static final long WAIT_MILLIS = 10_000;

  private RootedProcesses() {}

  /** Kills every process rooted at {@code root} and waits (bounded) until they are gone. */
  static void killAll(Path root) {
    Path real;
    try {
      real = root.toRealPath();
    } catch (IOException e) {
      return;
    }
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    List<Long> left = rootedAt(real);
    while (!left.isEmpty() && System.currentTimeMillis() < deadline) {
      left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      left = rootedAt(real);
    }
  }

  static List<Long> rootedAt(Path root) {
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.toList()) {
        String name = proc.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          if (Files.readSymbolicLink(proc.resolve("root")).equals(root)) {
            pids.add(Long.parseLong(name));
          }
        } catch (IOException | UnsupportedOperationException gone) {
          // Exited while we looked, or not ours to inspect.
        }
      }
    } catch (IOException e) {
      // No /proc: nothing to find.
    }
    return pids;
  }
}
