package org.opdeploy.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {
  private final ProcessRunner runner = new ProcessRunner();

  @Test
  void capturesStdoutAndStderrConcurrently() throws Exception {
    // Each stream gets more than a pipe buffer: a runner that drained them one after the other
    // would hang.
    ProcessResult result =
        runner.run(
            "sh",
            "-c",
            "head -c 300000 /dev/zero | tr '\\0' o; head -c 300000 /dev/zero | tr '\\0' e >&2; echo done >&2");
    assertThat(result.stdout()).hasSize(300000);
    assertThat(result.stderrTail())
        .endsWith("done\n")
        .hasSizeLessThanOrEqualTo(ProcessRunner.STDERR_TAIL);
  }

  @Test
  void nonZeroExitCarriesCommandExitCodeAndStderrTail() {
    assertThatThrownBy(
            () -> runner.run("sh", "-c", "echo first >&2; echo 'the real error' >&2; exit 3"))
        .isInstanceOfSatisfying(
            ProcessFailedException.class,
            e -> {
              assertThat(e.processExitCode()).isEqualTo(3);
              assertThat(e.commandLine()).startsWith("sh -c");
              assertThat(e.outputTail()).contains("first").contains("the real error");
              assertThat(e.getMessage()).contains("exited 3").endsWith("the real error");
            });
  }

  @Test
  void timeoutKillsTheWholeProcessTree(@TempDir Path dir) throws Exception {
    Path pidFile = dir.resolve("child.pid");
    ProcessSpec spec =
        ProcessSpec.of("sh", "-c", "sleep 60 & echo $! > " + pidFile + "; wait")
            .withTimeout(Duration.ofMillis(700));
    long start = System.nanoTime();
    assertThatThrownBy(() -> runner.run(spec))
        .isInstanceOf(ProcessFailedException.class)
        .hasMessageContaining("timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    long child = Long.parseLong(Files.readString(pidFile).strip());
    Thread.sleep(200);
    assertThat(running(child)).as("child %d still running", child).isFalse();
  }

  /** Alive and not a zombie waiting for a reaper (PID 1 in a container may never reap it). */
  static boolean running(long pid) throws IOException {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.exists(stat)) {
      return false;
    }
    String text = Files.readString(stat);
    char state = text.charAt(text.lastIndexOf(')') + 2);
    return state != 'Z' && state != 'X';
  }

  @Test
  void streamsStdinAndStdoutWithoutBuffering() throws Exception {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] payload = new byte[5 * 1024 * 1024];
    new java.util.Random(1).nextBytes(payload);
    runner.run(
        ProcessSpec.of("cat")
            .withStdin(in -> in.write(payload))
            .withStdout(out -> out.transferTo(received)));
    assertThat(received.toByteArray()).isEqualTo(payload);
  }

  @Test
  void failingConsumerKillsTheProgramInsteadOfHanging() {
    ProcessSpec spec =
        ProcessSpec.of("sh", "-c", "yes")
            .withStdout(
                out -> {
                  out.readNBytes(4096);
                  throw new IOException("No space left on device");
                });
    assertThatThrownBy(() -> runner.run(spec))
        .isInstanceOf(ProcessFailedException.class)
        .hasMessageContaining("No space left on device");
  }

  @Test
  void programThatFailsWhileBeingFedReportsItsOwnError() {
    ProcessSpec spec =
        ProcessSpec.of("sh", "-c", "echo 'ERROR: bad stream' >&2; exit 1")
            .withStdin(
                in -> {
                  for (int i = 0; i < 10_000; i++) {
                    in.write(new byte[8192]);
                  }
                });
    assertThatThrownBy(() -> runner.run(spec))
        .isInstanceOf(ProcessFailedException.class)
        .hasMessageContaining("exited 1")
        .hasMessageContaining("ERROR: bad stream");
  }

  @Test
  void missingProgramNamesThePackageToInstall() {
    assertThatThrownBy(() -> runner.run("/nonexistent/bin/btrfs", "--version"))
        .isInstanceOf(ProgramNotFoundException.class)
        .hasMessage("btrfs not found: install btrfs-progs (e.g. apt-get install btrfs-progs)");
  }

  @Test
  void interruptKillsTheProgramAndKeepsTheFlag() throws Exception {
    Thread caller = Thread.currentThread();
    Thread interrupter =
        new Thread(
            () -> {
              try {
                Thread.sleep(300);
              } catch (InterruptedException ignored) {
                return;
              }
              caller.interrupt();
            });
    interrupter.start();
    assertThatThrownBy(() -> runner.run(ProcessSpec.of("sleep", "30")))
        .hasMessageContaining("interrupted");
    assertThat(Thread.interrupted()).isTrue();
  }

  @Test
  void mergedOutputKeepsTheTailForMessages() {
    assertThatThrownBy(
            () ->
                runner.run(
                    ProcessSpec.of("sh", "-c", "echo out; echo err >&2; exit 2")
                        .withMergedStderr()))
        .isInstanceOfSatisfying(
            ProcessFailedException.class,
            e -> assertThat(e.outputTail()).contains("out").contains("err"));
  }

  @Test
  void tailBufferKeepsTheLastBytes() throws IOException {
    TailBuffer tail = new TailBuffer(10);
    tail.drain(
        new java.io.ByteArrayInputStream(
            "0123456789abcdefghij-the-end".getBytes(StandardCharsets.UTF_8)));
    assertThat(tail.toString()).isEqualTo("ij-the-end");
    assertThat(tail.truncated()).isTrue();
  }
}
