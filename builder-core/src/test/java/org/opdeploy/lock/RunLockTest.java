package org.opdeploy.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.LockHeldException;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;

class RunLockTest {

  @Test
  void aSecondRunExitsFourNamingTheHolder(@TempDir Path dir) throws Exception {
    Path file = dir.resolve(".opdeploy/lock");
    try (RunLock held = RunLock.acquire(file, "send v1.0.0", Duration.ZERO)) {
      // A second JVM, as a second opdeploy run would be, is refused with exit code 4.
      String java = ProcessHandle.current().info().command().orElse("java");
      var result =
          new ProcessRunner()
              .runAllowingFailure(
                  ProcessSpec.of(
                      java,
                      "-cp",
                      System.getProperty("java.class.path"),
                      SecondRun.class.getName(),
                      file.toString()));
      assertThat(result.exitCode()).isEqualTo(4);
      assertThat(result.stderrTail())
          .contains("pid " + ProcessHandle.current().pid())
          .contains("send v1.0.0");
      assertThatThrownBy(() -> RunLock.acquire(file, "snapshot v1.0.1", Duration.ZERO))
          .isInstanceOfSatisfying(
              LockHeldException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED))
          .hasMessageContaining("send v1.0.0")
          .hasMessageContaining("--wait");
    }
    try (RunLock again = RunLock.acquire(file, "snapshot v1.0.1", Duration.ZERO)) {
      assertThat(again).isNotNull();
    }
  }

  /** Tries the lock once from another process; exits with the code opdeploy would. */
  public static final class SecondRun {
    public static void main(String[] args) {
      try (RunLock lock = RunLock.acquire(Path.of(args[0]), "second", Duration.ZERO)) {
        System.exit(0);
      } catch (org.opdeploy.error.OpdeployException e) {
        System.err.println(e.getMessage());
        System.exit(e.exitCode().code());
      }
    }
  }

  @Test
  void waitingTakesTheLockOnceItIsReleased(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("lock");
    RunLock first = RunLock.acquire(file, "release", Duration.ZERO);
    Thread releaser =
        new Thread(
            () -> {
              try {
                Thread.sleep(400);
              } catch (InterruptedException ignored) {
                // released below regardless
              }
              first.close();
            });
    releaser.start();
    try (RunLock second = RunLock.acquire(file, "prune", Duration.ofSeconds(10))) {
      assertThat(second).isNotNull();
    }
    releaser.join();
  }
}
