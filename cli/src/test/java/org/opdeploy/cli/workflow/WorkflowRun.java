package org.opdeploy.cli.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one job of a workflow file the way a runner does, as far as the job's {@code run:} steps go:
 * the workflow's, job's and step's {@code env:} with their expressions evaluated, {@code if:}
 * conditions, each script as {@code bash --noprofile --norc -eo pipefail} in the workspace, a fresh
 * {@code GITHUB_OUTPUT} and {@code GITHUB_STEP_SUMMARY} file per step read back into {@code
 * steps.<id>.outputs} and the job summary, outcomes, and the job's {@code outputs:}. {@code uses:}
 * steps are not run: the test prepares what they would (the checkout, JAVA_HOME).
 */
final class WorkflowRun {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final JsonNode workflow;

  /** One step as it ran: outcome success, failure or skipped; its log is stdout and stderr. */
  record Step(String id, String name, String outcome, String log, Map<String, String> outputs) {}

  private record Ran(int exitCode, String stdout) {}

  /** The job as it ran. */
  record Result(List<Step> steps, Map<String, String> outputs, String summary) {
    String log() {
      return String.join("", steps.stream().map(Step::log).toList());
    }

    Step step(String id) {
      return steps.stream().filter(s -> id.equals(s.id())).findFirst().orElseThrow();
    }
  }

  WorkflowRun(Path file) throws IOException {
    this.workflow = YAML.readTree(file.toFile());
  }

  /**
   * Runs {@code job}. {@code contexts} holds github, inputs, secrets, vars and runner; {@code
   * runnerEnv} is what the runner's process environment holds (PATH, HOME, GITHUB_*, RUNNER_TEMP).
   */
  Result run(
      String job, Map<String, Object> contexts, Map<String, String> runnerEnv, Path workspace)
      throws Exception {
    JsonNode jobNode = workflow.at("/jobs/" + job);
    Map<String, Object> all = new HashMap<>(contexts);
    Map<String, Object> steps = new LinkedHashMap<>();
    all.put("steps", steps);
    Path temp = Path.of(runnerEnv.get("RUNNER_TEMP"));
    List<Step> done = new ArrayList<>();
    StringBuilder summary = new StringBuilder();
    boolean failed = false;
    int n = 0;
    for (JsonNode step : jobNode.get("steps")) {
      n++;
      String id = step.path("id").asText(null);
      String name = step.path("name").asText(step.path("uses").asText("step " + n));
      WorkflowExpressions expressions = new WorkflowExpressions(all, failed);
      Step result;
      if (step.has("uses")) {
        result = new Step(id, name, "success", "", Map.of());
      } else if (!expressions.condition(step.path("if").asText(null))) {
        result = new Step(id, name, "skipped", "", Map.of());
      } else {
        Map<String, String> env = new HashMap<>(runnerEnv);
        env.putAll(evaluated(workflow.get("env"), expressions));
        env.putAll(evaluated(jobNode.get("env"), expressions));
        env.putAll(evaluated(step.get("env"), expressions));
        Path output = Files.createFile(temp.resolve("output-" + n));
        Path stepSummary = Files.createFile(temp.resolve("summary-" + n));
        env.put("GITHUB_OUTPUT", output.toString());
        env.put("GITHUB_STEP_SUMMARY", stepSummary.toString());
        Path script =
            Files.writeString(
                temp.resolve("step-" + n + ".sh"),
                expressions.interpolate(step.get("run").asText()) + "\n");
        // ProcessBuilder, not the project's ProcessRunner: this plays the Actions runner, which
        // hands secrets to the steps that name them (ProcessRunner rightly refuses to).
        ProcessBuilder builder =
            new ProcessBuilder(
                    "bash", "--noprofile", "--norc", "-eo", "pipefail", script.toString())
                .directory(workspace.toFile())
                .redirectErrorStream(true)
                .redirectOutput(temp.resolve("log-" + n).toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(20, TimeUnit.MINUTES)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
          throw new AssertionError("step " + name + " ran longer than 20 minutes");
        }
        Ran ran = new Ran(process.exitValue(), Files.readString(temp.resolve("log-" + n)));
        String outcome = ran.exitCode() == 0 ? "success" : "failure";
        failed |= ran.exitCode() != 0;
        summary.append(Files.readString(stepSummary));
        result = new Step(id, name, outcome, ran.stdout(), outputs(Files.readString(output)));
      }
      done.add(result);
      if (id != null) {
        steps.put(
            id,
            Map.of(
                "outcome", result.outcome(),
                "conclusion", result.outcome(),
                "outputs", result.outputs()));
      }
    }
    WorkflowExpressions last = new WorkflowExpressions(all, failed);
    return new Result(done, evaluated(jobNode.get("outputs"), last), summary.toString());
  }

  private static Map<String, String> evaluated(JsonNode map, WorkflowExpressions expressions) {
    Map<String, String> out = new LinkedHashMap<>();
    if (map != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(e.getKey(), expressions.interpolate(e.getValue().asText()));
      }
    }
    return out;
  }

  /** GITHUB_OUTPUT's format: {@code name=value} lines and {@code name<<DELIMITER} blocks. */
  static Map<String, String> outputs(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int heredoc = line.indexOf("<<");
      int equals = line.indexOf('=');
      if (heredoc > 0 && (equals < 0 || heredoc < equals)) {
        String delimiter = line.substring(heredoc + 2);
        List<String> value = new ArrayList<>();
        for (i++; i < lines.size() && !lines.get(i).equals(delimiter); i++) {
          value.add(lines.get(i));
        }
        out.put(line.substring(0, heredoc), String.join("\n", value));
      } else if (equals > 0) {
        out.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    return out;
  }
}
