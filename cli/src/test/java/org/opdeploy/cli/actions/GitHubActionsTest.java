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
  void groupsAreNeverNestedNorRepeatedAndAnErrorClosesTheOpenOne() {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    GitHubActions actions =
        GitHubActions.fromEnvironment(
            Map.of("GITHUB_ACTIONS", "true"), new PrintStream(log, true, StandardCharsets.UTF_8));
    ActionsProgress progress =
        new ActionsProgress(org.opdeploy.progress.ProgressListener.NONE, actions);
    progress.stepStarted("release v1");
    progress.stepStarted("send v1");
    progress.stepFinished("send v1");
    progress.stepFinished("release v1");
    progress.stepStarted("send v1");
    actions.error("upload failed");
    progress.stepFinished("send v1");
    assertThat(log.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "::group::release v1\n::endgroup::\n::group::send v1\n::endgroup::\n"
                + "::group::send v1 (2)\n::endgroup::\n::error title=opdeploy::upload failed\n");
  }

  @Test
  void aSpecErrorIsAnnotatedOnItsFileAndLineRelativeToTheWorkspace(@TempDir Path dir)
      throws Exception {
    Path summary = dir.resolve("summary");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    GitHubActions actions =
        GitHubActions.fromEnvironment(
            Map.of(
                "GITHUB_ACTIONS", "true",
                "GITHUB_WORKSPACE", dir.toString(),
                "GITHUB_STEP_SUMMARY", summary.toString()),
            new PrintStream(log, true, StandardCharsets.UTF_8));
    actions.error("unknown key 'helth'", dir.resolve("golden/golden.yaml"), 12);
    actions.error("no line", Path.of("/elsewhere/a,b:c.yaml"), 0);
    actions.failureSummary("opdeploy release", "golden spec: unknown key 'helth'", 2);
    assertThat(log.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "::error file=golden/golden.yaml,line=12,title=opdeploy::unknown key 'helth'\n"
                + "::error file=/elsewhere/a%2Cb%3Ac.yaml,title=opdeploy::no line\n");
    assertThat(Files.readString(summary))
        .isEqualTo(
            "### opdeploy release failed (exit 2)\n\n    golden spec: unknown key 'helth'\n");
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
