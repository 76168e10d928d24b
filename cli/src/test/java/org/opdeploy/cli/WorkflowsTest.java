package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Checks what the workflows promise: triggers, permissions, runner labels, concurrency, and that
 * every script they call exists and is executable. (ci/lint-workflows.sh runs actionlint too.)
 */
class WorkflowsTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path WORKFLOWS = REPO.resolve(".github/workflows");
  private static final Pattern SCRIPT =
      Pattern.compile("(?:^|\\s)((?:\\./)?(?:ci/[\\w.-]+|opdeploy|\\.ci/run))(?=\\s|$)");

  private static JsonNode load(String name) throws IOException {
    return new ObjectMapper(new YAMLFactory()).readTree(WORKFLOWS.resolve(name).toFile());
  }

  @Test
  void releaseRunsOnVersionTagsOnTheBtrfsRunnerWithWriteAccessOneRunPerTag() throws IOException {
    JsonNode release = load("release.yml");
    assertThat(release.at("/on/push/tags").get(0).asText()).isEqualTo("v*");
    assertThat(release.at("/permissions/contents").asText()).isEqualTo("write");
    assertThat(release.at("/concurrency/group").asText()).contains("github.ref_name");
    JsonNode job = release.at("/jobs/release");
    assertThat(job.get("runs-on").toString()).isEqualTo("[\"self-hosted\",\"btrfs\"]");
    assertThat(job.toString())
        .contains("./opdeploy release \\\"$VERSION\\\" --to \\\"github:$REPOSITORY\\\"")
        .contains("secrets.OPDEPLOY_SIGNING_KEY")
        .contains("secrets.OPDEPLOY_SIGNING_PASSPHRASE")
        .contains("${{ github.ref_name }}")
        .contains("mvn -B -ntp -DskipTests package")
        .contains("--installer packaging/target/opdeploy_*_all.deb");
  }

  @Test
  void nightlyIsScheduledAndDispatchableAndPrunes() throws IOException {
    JsonNode nightly = load("nightly.yml");
    assertThat(nightly.at("/on/schedule").get(0).get("cron").asText()).isNotBlank();
    assertThat(nightly.at("/on").has("workflow_dispatch")).isTrue();
    String steps = nightly.at("/jobs/nightly/steps").toString();
    assertThat(steps).contains("release --nightly").contains("prune --keep");
    assertThat(nightly.at("/jobs/nightly/runs-on").toString()).contains("btrfs");
  }

  @Test
  void manualDispatchTakesVersionParentDraftAndDryRun() throws IOException {
    JsonNode inputs = load("manual.yml").at("/on/workflow_dispatch/inputs");
    assertThat(inputs.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("version", "parent", "draft", "dry_run");
    assertThat(inputs.at("/draft/type").asText()).isEqualTo("boolean");
    assertThat(inputs.at("/dry_run/type").asText()).isEqualTo("boolean");
  }

  @Test
  void projectCiRunsDotCiRunOnAHostedRunner() throws IOException {
    JsonNode ci = load("ci.yml");
    assertThat(ci.at("/jobs/test/runs-on").asText()).isEqualTo("ubuntu-latest");
    assertThat(ci.at("/jobs/test/steps").toString()).contains("bash .ci/run");
  }

  @Test
  void everyScriptAWorkflowCallsExistsAndIsExecutable() throws IOException {
    List<String> scripts = new ArrayList<>();
    try (var files = Files.list(WORKFLOWS)) {
      for (Path file : files.toList()) {
        for (JsonNode job : load(file.getFileName().toString()).get("jobs")) {
          for (JsonNode step : job.get("steps")) {
            if (step.has("run")) {
              Matcher m = SCRIPT.matcher(step.get("run").asText());
              while (m.find()) {
                scripts.add(m.group(1).replaceFirst("^\\./", ""));
              }
            }
          }
        }
      }
    }
    assertThat(scripts)
        .contains("opdeploy", "ci/build-opdbus.sh", "ci/manual-release.sh", ".ci/run");
    for (String script : scripts) {
      assertThat(REPO.resolve(script)).as(script).isRegularFile().isExecutable();
    }
  }
}
