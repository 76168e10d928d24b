package org.opdeploy.cli.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.github.fake.FakeGitHub;
import org.opdeploy.github.fake.FakeRelease;
import org.opdeploy.golden.StandinGolden;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;
import org.opdeploy.seal.ThrowawayKey;
import org.opdeploy.secret.Secret;
import org.opdeploy.testing.TemporaryBtrfs;

/**
 * Runs .github/workflows/release.yml's steps as a runner would (WorkflowRun) for a dispatch from
 * the op-dbus repository: its real scripts and the real launcher and jar, against the fake GitHub
 * and a loop-backed btrfs pool, with GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. Stand-ins on PATH
 * replace only what a runner has and a test cannot run here: {@code sudo} (the test is root
 * already; the stand-in sets SUDO_USER and logs what it ran), {@code mvn} (the jar is built by this
 * very Maven run; the stand-in logs its arguments and user) and {@code cargo} (builds a stand-in
 * op-dbus that records the commit it was built from).
 */
class ReleaseWorkflowIT {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final String DEPLOY = "acme/op-dbus-deploy";
  private static final String PASSPHRASE = "workflow passphrase 9b2e";
  private final ProcessRunner runner = new ProcessRunner();
  @TempDir Path dir;
  Path workspace;
  Path tools;
  Path opdbus;
  String tagged;
  FakeGitHub github;
  ThrowawayKey key;
  TemporaryBtrfs build;

  @BeforeEach
  void runner() throws Exception {
    github = FakeGitHub.start();
    build = TemporaryBtrfs.create(dir, "build", 1024);
    Files.createDirectories(build.root().resolve("pool"));
    key =
        ThrowawayKey.generate(
            "ci <ci@opdeploy.invalid>", Secret.of(PASSPHRASE), java.time.Instant.now(), null);
    workspace = Files.createDirectories(dir.resolve("workspace"));
    for (String shared : List.of("opdeploy", "ci", ".github")) {
      Files.createSymbolicLink(workspace.resolve(shared), REPO.resolve(shared));
    }
    new StandinGolden(runner).extractTo(workspace.resolve("golden"));
    Files.createDirectories(workspace.resolve("packaging/target"));
    Files.writeString(workspace.resolve("packaging/target/opdeploy_0.1.0_all.deb"), "a package\n");
    Files.writeString(
        workspace.resolve("opdeploy.yaml"),
        "pool: "
            + build.root().resolve("pool")
            + "\ngolden: "
            + workspace.resolve("golden")
            + "\n");
    tools = Files.createDirectories(dir.resolve("tools"));
    tool(
        "sudo",
        "while [[ $1 == -* ]]; do shift; done",
        "echo \"$*\" >> " + dir.resolve("sudo.log"),
        "SUDO_USER=runner exec \"$@\"");
    tool(
        "mvn",
        "if [[ $1 == -v ]]; then echo 'Apache Maven (stand-in)'; exit 0; fi",
        "echo \"$* user=${SUDO_USER:-runner}\" >> " + dir.resolve("mvn.log"));
    tool(
        "cargo",
        "mkdir -p target/release",
        "{ cat "
            + workspace.resolve("golden/op-dbus-standin.sh")
            + "; echo \"# built from $(git rev-parse HEAD)\"; } > target/release/op-dbus",
        "chmod 0755 target/release/op-dbus");
    opdbus = dir.resolve("operation-dbus");
    git(dir, "init", "-q", "-b", "main", opdbus.toString());
    commit("first");
    git(opdbus, "tag", "-a", "-m", "v1.0.0", "v1.0.0");
    commit("second");
    git(opdbus, "tag", "-a", "-m", "v1.1.0", "v1.1.0");
    tagged = git(opdbus, "rev-parse", "v1.1.0^{commit}").strip();
    commit("after the tag");
  }

  @AfterEach
  void stop() throws Exception {
    github.close();
    build.close();
  }

  private void tool(String name, String... lines) throws Exception {
    Path file = tools.resolve(name);
    Files.writeString(
        file, "#!/usr/bin/env bash\nset -euo pipefail\n" + String.join("\n", lines) + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private String git(Path where, String... args) throws Exception {
    List<String> argv =
        new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"));
    argv.addAll(List.of(args));
    return runner
        .run(
            ProcessSpec.of(argv)
                .withWorkingDirectory(where)
                .withEnvironment(Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString())))
        .stdout();
  }

  private void commit(String message) throws Exception {
    Files.writeString(
        opdbus.resolve("NEWS"),
        message + "\n",
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    git(opdbus, "add", "NEWS");
    git(opdbus, "commit", "-q", "-m", message);
  }

  /** The release job for a repository_dispatch of op-dbus's {@code tag} at {@code commit}. */
  private WorkflowRun.Result dispatch(String tag, String commit) throws Exception {
    Path temp = Files.createDirectories(dir.resolve("runner-temp"));
    Map<String, String> env = new HashMap<>();
    env.put("PATH", tools + ":" + System.getenv("PATH"));
    env.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
    env.put("RUNNER_TEMP", temp.toString());
    env.put("GITHUB_ACTIONS", "true");
    env.put("CI", "true");
    env.put("GITHUB_WORKSPACE", workspace.toString());
    env.put("GITHUB_REPOSITORY", DEPLOY);
    env.put("GITHUB_REPOSITORY_OWNER", "acme");
    env.put("GITHUB_EVENT_NAME", "repository_dispatch");
    env.put("GITHUB_SHA", "d".repeat(40));
    env.put("GITHUB_REF_TYPE", "branch");
    env.put("GITHUB_REF_NAME", "main");
    env.put("GITHUB_API_URL", github.apiUrl());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    Map<String, Object> contexts =
        Map.of(
            "github",
            Map.of(
                "event_name", "repository_dispatch",
                "event", Map.of("client_payload", Map.of("tag", tag, "commit", commit)),
                "ref_name", "main",
                "repository", DEPLOY,
                "repository_owner", "acme",
                "server_url", "https://github.example",
                "run_id", "42"),
            "inputs",
            Map.of(),
            "vars",
            Map.of("OPDBUS_REPOSITORY", "file://" + opdbus),
            "secrets",
            Map.of(
                "GITHUB_TOKEN", github.token(),
                "OPDEPLOY_SIGNING_KEY", key.armoredSecretKey(),
                "OPDEPLOY_SIGNING_PASSPHRASE", PASSPHRASE),
            "runner",
            Map.of("temp", temp.toString()));
    return new WorkflowRun(REPO.resolve(".github/workflows/release.yml"))
        .run("release", contexts, env, workspace);
  }

  private static Map<String, String> outcomes(WorkflowRun.Result run) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    run.steps().stream().filter(s -> s.id() != null).forEach(s -> out.put(s.id(), s.outcome()));
    out.put("failure summary", run.steps().get(run.steps().size() - 1).outcome());
    return out;
  }

  /** Every ::group:: is closed before the next opens, and no title comes twice in a step. */
  private static void groupsAreFlatAndUnique(WorkflowRun.Result run) {
    for (WorkflowRun.Step step : run.steps()) {
      Set<String> titles = new HashSet<>();
      String open = null;
      for (String line : step.log().lines().toList()) {
        if (line.startsWith("::group::")) {
          assertThat(open).as(step.name() + ": group inside " + open).isNull();
          open = line.substring("::group::".length());
          assertThat(titles.add(open)).as(step.name() + ": repeated group " + open).isTrue();
        } else if (line.equals("::endgroup::")) {
          assertThat(open).as(step.name() + ": endgroup without group").isNotNull();
          open = null;
        }
      }
      assertThat(open).as(step.name() + ": group left open").isNull();
    }
  }

  private static int lineOf(Path file, String text) throws Exception {
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals(text)) {
        return i + 1;
      }
    }
    throw new AssertionError(text + " not in " + file);
  }

  @Test
  void anOpDbusTagDispatchReleasesThatTagWithOutputsAndRecordsItsCommit() throws Exception {
    WorkflowRun.Result run = dispatch("v1.1.0", tagged);

    assertThat(outcomes(run))
        .as(run.log())
        .containsEntry("check", "success")
        .containsEntry("opdbus", "success")
        .containsEntry("build", "success")
        .containsEntry("release", "success")
        .containsEntry("failure summary", "skipped");
    assertThat(run.outputs()).containsEntry("version", "v1.1.0");
    assertThat(run.outputs().get("release-url")).endsWith("/" + DEPLOY + "/releases/tag/v1.1.0");
    assertThat(run.outputs().get("assets").lines()).contains("op-dbus-v1.1.0.send.zst");
    groupsAreFlatAndUnique(run);
    assertThat(run.step("release").log())
        .as("no pipeline step is announced twice")
        .doesNotContainPattern("::group::.* \\(2\\)")
        .containsOnlyOnce("::group::seal v1.1.0\n");
    // The runner is told to mask the secrets (and then hides that line too); nothing else has them.
    assertThat(run.log().lines().filter(l -> !l.startsWith("::add-mask::")))
        .noneMatch(l -> l.contains(PASSPHRASE) || l.contains(github.token()));
    assertThat(run.log()).contains("::add-mask::" + PASSPHRASE);
    assertThat(run.summary()).contains("| stream |");

    // op-dbus was built at the tag, not at its branch's newer HEAD, and the manifest says so.
    assertThat(Files.readString(dir.resolve("runner-temp/op-dbus")))
        .contains("# built from " + tagged);
    assertThat(github.releases(DEPLOY))
        .extracting(FakeRelease.ReleaseView::tag)
        .containsExactly("v1.1.0");
    JsonNode source =
        new ObjectMapper()
            .readTree(github.assetBytes(DEPLOY, "v1.1.0", "op-dbus-v1.1.0.manifest.json"))
            .get("source");
    assertThat(source.at("/payload/tag").asText()).isEqualTo("v1.1.0");
    assertThat(source.at("/payload/commit").asText()).isEqualTo(tagged);
    assertThat(source.at("/payload/repository").asText()).endsWith("operation-dbus");
    assertThat(source.at("/repository").asText()).isEqualTo(DEPLOY);
    assertThat(source.at("/commit").asText()).isEqualTo("d".repeat(40));

    // Only opdeploy ran as root; the build ran as the runner's user.
    assertThat(Files.readAllLines(dir.resolve("sudo.log")))
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .startsWith("./opdeploy --wait 2h release v1.1.0 --to github:" + DEPLOY));
    assertThat(Files.readString(dir.resolve("mvn.log")))
        .isEqualTo("-B -ntp -DskipTests package user=runner\n");
  }

  @Test
  void aMisspelledSpecKeyFailsTheReleaseWithAnAnnotationOnItsLineAndAFailureSummary()
      throws Exception {
    Path spec = workspace.resolve("golden/golden.yaml");
    Files.writeString(spec, Files.readString(spec).replace("\nhealth:", "\nhelth:"));

    WorkflowRun.Result run = dispatch("v1.1.0", tagged);

    assertThat(outcomes(run))
        .as(run.log())
        .containsEntry("opdbus", "success")
        .containsEntry("release", "failure")
        .containsEntry("failure summary", "success");
    assertThat(run.step("release").log())
        .contains(
            "::error file=golden/golden.yaml,line="
                + lineOf(spec, "helth:")
                + ",title=opdeploy::golden spec ");
    int releaseStep = lineOf(REPO.resolve(".github/workflows/release.yml"), "id: release");
    assertThat(run.log())
        .contains(
            "::error file=.github/workflows/release.yml,line="
                + releaseStep
                + ",title=step release failed::step 'release' failed (release v1.1.0)");
    assertThat(run.summary())
        .contains("### opdeploy release failed (exit 2)", "unknown key 'helth'")
        .contains("## Failed v1.1.0", "The step `release` failed", "| `release` | failure |");
    assertThat(run.outputs()).containsEntry("version", "");
    groupsAreFlatAndUnique(run);
    assertThat(github.releases(DEPLOY)).isEmpty();
  }

  @Test
  void aTagMovedAfterTheDispatchIsRefusedBeforeAnythingIsBuilt() throws Exception {
    WorkflowRun.Result run = dispatch("v1.1.0", "0".repeat(40));

    assertThat(outcomes(run))
        .as(run.log())
        .containsEntry("opdbus", "failure")
        .containsEntry("build", "skipped")
        .containsEntry("release", "skipped")
        .containsEntry("failure summary", "success");
    assertThat(run.step("opdbus").log())
        .containsPattern(
            "::error file=ci/build-opdbus.sh,line=\\d+::build-opdbus: tag v1.1.0 of .* points at "
                + tagged);
    assertThat(run.summary()).contains("The step `opdbus` failed", "| `build` | skipped |");
    assertThat(dir.resolve("mvn.log")).doesNotExist();
    assertThat(dir.resolve("sudo.log")).doesNotExist();
  }
}
