package org.opdeploy.cli.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitHubActionsTest {

  @Test
  void writesOutputsSummaryGroupsMasksAndErrorsInTheRunnersFormat(@TempDir Path dir)
      throws Exception {
    Path output = dir.resolve("output");
    Path summary = dir.resolve("summary");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    GitHubActions actions =
        GitHubActions.fromEnvironment(
            Map.of(
                "GITHUB_ACTIONS",
                "true",
                "GITHUB_OUTPUT",
                output.toString(),
                "GITHUB_STEP_SUMMARY",
                summary.toString()),
            new PrintStream(log, true, StandardCharsets.UTF_8));
    actions.mask("s3cr3t-token");
    actions.group("send v1.0.0");
    actions.endGroup();
    actions.error("checksum of x.part001 does not match\nsecond line");
    actions.output("version", "v1.0.0");
    actions.output("assets", "a\nb");
    actions.summary("| a | b |");
    String text = log.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .contains(
            "::add-mask::s3cr3t-token\n",
            "::group::send v1.0.0\n",
            "::endgroup::\n",
            "::error title=opdeploy::checksum of x.part001 does not match%0Asecond line\n");
    String outputs = Files.readString(output);
    assertThat(outputs)
        .startsWith("version=v1.0.0\n")
        .containsPattern("assets<<(opdeploy_\\w+)\na\nb\n\\1\n");
    assertThat(Files.readString(summary)).isEqualTo("| a | b |\n");
  }

  @Test
  void outsideActionsNothingIsWritten(@TempDir Path dir) throws Exception {
    Path output = dir.resolve("output");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    GitHubActions actions =
        GitHubActions.fromEnvironment(
            Map.of("GITHUB_OUTPUT", output.toString()),
            new PrintStream(log, true, StandardCharsets.UTF_8));
    actions.group("x");
    actions.output("version", "v1");
    assertThat(log.size()).isZero();
    assertThat(output).doesNotExist();
  }
}
