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
  void releaseRunsOnAnOpDbusTagDispatchByHandAndOnOwnTagsOnTheBtrfsRunnerOneRunPerVersion()
      throws IOException {
    JsonNode release = load("release.yml");
    assertThat(release.at("/on/repository_dispatch/types").get(0).asText())
        .isEqualTo("op-dbus-tag");
    assertThat(release.at("/on/workflow_dispatch/inputs/tag/required").asBoolean()).isTrue();
    assertThat(release.at("/on/push/tags").get(0).asText()).isEqualTo("v*");
    assertThat(release.at("/permissions/contents").asText()).isEqualTo("write");
    assertThat(release.at("/concurrency/group").asText())
        .contains("github.event.client_payload.tag")
        .contains("inputs.tag")
        .contains("github.ref_name");
    JsonNode job = release.at("/jobs/release");
    assertThat(job.get("runs-on").toString()).isEqualTo("[\"self-hosted\",\"btrfs\"]");
    assertThat(job.at("/env/VERSION").asText())
        .isEqualTo("${{ github.event.client_payload.tag || inputs.tag || github.ref_name }}");
    assertThat(job.at("/env/OPDBUS_TAG").asText()).contains("github.event.client_payload.tag");
    assertThat(job.toString())
        .contains("./opdeploy --wait 2h release \\\"$VERSION\\\" --to \\\"github:$REPOSITORY\\\"")
        .contains("secrets.OPDEPLOY_SIGNING_KEY")
        .contains("secrets.OPDEPLOY_SIGNING_PASSPHRASE")
        .contains("OPDEPLOY_PAYLOAD_TAG")
        .contains("mvn -B -ntp -DskipTests package")
        .contains("--installer packaging/target/opdeploy_*_all.deb");
  }

  @Test
  void theTriggerForTheOpDbusRepositoryDispatchesItsVersionTagsWithTheCommit() throws IOException {
    JsonNode trigger =
        new ObjectMapper(new YAMLFactory())
            .readTree(REPO.resolve("docs/op-dbus-trigger.yml").toFile());
    assertThat(trigger.at("/on/push/tags").get(0).asText()).isEqualTo("v*");
    String run = trigger.at("/jobs/dispatch/steps").get(0).get("run").asText();
    assertThat(run)
        .contains("repos/$DEPLOY_REPOSITORY/dispatches")
        .contains("event_type=op-dbus-tag")
        .contains("client_payload[tag]=$TAG")
        .contains("client_payload[commit]=$GITHUB_SHA");
  }

  @Test
  void nightlyIsScheduledAndDispatchableAndPrunesReleasesAndSnapshots() throws IOException {
    JsonNode nightly = load("nightly.yml");
    assertThat(nightly.at("/on/schedule").get(0).get("cron").asText()).isNotBlank();
    assertThat(nightly.at("/on").has("workflow_dispatch")).isTrue();
    String steps = nightly.at("/jobs/nightly/steps").toString();
    assertThat(steps)
        .contains("release --nightly")
        .contains(
            "./opdeploy prune --releases --keep \\\"$KEEP_RELEASES\\\" --to \\\"github:$REPOSITORY\\\"")
        .contains("prune --keep");
    assertThat(nightly.at("/jobs/nightly/runs-on").toString()).contains("btrfs");
  }

  @Test
  void manualDispatchTakesVersionOpDbusTagParentDraftAndDryRun() throws IOException {
    JsonNode inputs = load("manual.yml").at("/on/workflow_dispatch/inputs");
    assertThat(inputs.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("version", "opdbus_tag", "parent", "draft", "dry_run");
    assertThat(inputs.at("/draft/type").asText()).isEqualTo("boolean");
    assertThat(inputs.at("/dry_run/type").asText()).isEqualTo("boolean");
  }

  @Test
  void everyActionIsPinnedByAFullCommitShaWithItsVersionInAComment() throws IOException {
    Pattern pinned = Pattern.compile("uses: [\\w.-]+/[\\w.-]+@[0-9a-f]{40} # v\\d+\\.\\d+\\.\\d+");
    List<Path> files = new ArrayList<>(workflowFiles());
    files.add(REPO.resolve("docs/op-dbus-trigger.yml"));
    int uses = 0;
    for (Path file : files) {
      for (String line : Files.readAllLines(file)) {
        if (line.contains("uses:")) {
          uses++;
          assertThat(line.strip()).as(file.toString()).containsPattern(pinned);
        }
      }
    }
    assertThat(uses).isGreaterThanOrEqualTo(8);
  }

  @Test
  void onTheSelfHostedRunnerOnlyOpdeployRunsUnderSudoAndTheBuildDoesNot() throws IOException {
    for (String name : List.of("release.yml", "nightly.yml", "manual.yml")) {
      JsonNode job = load(name).get("jobs").elements().next();
      List<String> ids = new ArrayList<>();
      boolean setupJava = false;
      for (JsonNode step : job.get("steps")) {
        setupJava |= step.path("uses").asText().startsWith("actions/setup-java@");
        String run = step.path("run").asText();
        if (run.contains("mvn ")) {
          assertThat(run).as(name).doesNotContain("sudo");
        }
        if (run.contains("sudo")) {
          assertThat(run)
              .as(name)
              .matches("sudo --preserve-env (\\./opdeploy|ci/manual-release\\.sh)( .*)?");
          assertThat(run).as(name + ": runners share the pool").containsAnyOf("--wait", "manual");
        }
        ids.add(step.path("id").asText());
      }
      assertThat(setupJava).as(name).isTrue();
      assertThat(ids).as(name).contains("check", "opdbus", "build", "release");
      assertThat(job.at("/outputs/version").asText())
          .isEqualTo("${{ steps.release.outputs.version }}");
      assertThat(job.at("/outputs/release-url").asText())
          .isEqualTo("${{ steps.release.outputs.release-url }}");
      assertThat(job.at("/outputs/assets").asText())
          .isEqualTo("${{ steps.release.outputs.assets }}");
      JsonNode last = job.get("steps").get(job.get("steps").size() - 1);
      assertThat(last.path("if").asText()).as(name).isEqualTo("failure()");
      assertThat(last.path("run").asText()).isEqualTo("ci/failure-summary.sh");
      assertThat(last.at("/env/WORKFLOW_FILE").asText()).isEqualTo(".github/workflows/" + name);
    }
  }

  private static List<Path> workflowFiles() throws IOException {
    try (var files = Files.list(WORKFLOWS)) {
      return files.sorted().toList();
    }
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
        .contains(
            "opdeploy",
            "ci/build-opdbus.sh",
            "ci/manual-release.sh",
            "ci/check-runner.sh",
            "ci/failure-summary.sh",
            ".ci/run");
    for (String script : scripts) {
      assertThat(REPO.resolve(script)).as(script).isRegularFile().isExecutable();
    }
  }
}
