package org.opdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.audit.Operator;
import org.opdeploy.deploy.prepare.PrepareReport;
import org.opdeploy.error.LockHeldException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.lock.RunLock;
import org.opdeploy.seal.ThrowawayKey;
import org.opdeploy.version.Version;

/**
 * Every mutating target command leaves an audit entry when it starts and one when it ends ({@code
 * ok}, or {@code failed} with its exit code and the reason); a killed run leaves its start entry
 * and the run that repairs it says what it did. The chain stays intact throughout.
 */
class AuditCompletenessIT {
  @TempDir Path tempDir;
  private TargetFixture fx;
  private TargetInvariants target;

  @BeforeEach
  void publish() throws Exception {
    fx = new TargetFixture(tempDir, 512);
    target = new TargetInvariants(fx);
    fx.publish("v1.0.0", null);
    fx.publish("v2.0.0", "v1.0.0");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  private static Version v(String text) throws Exception {
    return Version.parse(text);
  }

  @Test
  void everyMutatingCommandLeavesAStartAndAnEndEntry() throws Exception {
    TargetAgent agent = fx.agent();
    agent.fetch(v("v1.0.0"), fx.source, false);
    agent.deploy(v("v1.0.0"), fx.source, false);
    agent.activate(v("v1.0.0"));
    agent.upgrade(v("v2.0.0"), fx.source, false);
    agent.rollback(Optional.empty());
    agent.prune(5);
    agent.recover();
    agent.status();

    List<JsonNode> entries = target.auditFrom(0);
    assertThat(TargetInvariants.summary(entries))
        .containsExactly(
            "fetch started",
            "fetch ok",
            "deploy started",
            "deploy ok",
            "activate started",
            "activate ok",
            "upgrade started",
            "upgrade ok",
            "rollback started",
            "rollback ok",
            "target prune started",
            "target prune ok",
            "recover started",
            "recover ok");
    assertThat(entries.get(0).get("details").get("pid").asLong())
        .isEqualTo(ProcessHandle.current().pid());
    assertThat(entries.get(6).get("version").asText()).isEqualTo("v2.0.0");
    assertThat(fx.agent().verifyAudit()).isEqualTo(14);
  }

  @Test
  void entriesSayFromWhereFromWhichVersionToWhichWithWhatStreamAndHowManyBytes() throws Exception {
    TargetAgent agent = fx.agent();
    agent.deploy(v("v1.0.0"), fx.source, false);
    agent.activate(v("v1.0.0"));
    agent.upgrade(v("v2.0.0"), fx.source, false);
    agent.rollback(Optional.empty());

    List<JsonNode> entries = target.auditFrom(0);
    JsonNode deployStart = entries.get(0).get("details");
    assertThat(deployStart.get("source").asText()).isEqualTo(fx.source.describe());
    JsonNode deploy = entries.get(1).get("details");
    assertThat(deploy.get("source").asText()).isEqualTo(fx.source.describe());
    assertThat(deploy.get("to_version").asText()).isEqualTo("v1.0.0");
    assertThat(deploy.get("stream").asText()).isEqualTo("full");
    assertThat(deploy.has("parent")).isFalse();
    assertThat(deploy.get("bytes").asLong()).isPositive();
    JsonNode activate = entries.get(3).get("details");
    assertThat(activate.get("from_version").asText()).isEqualTo("none");
    assertThat(activate.get("to_version").asText()).isEqualTo("v1.0.0");
    JsonNode upgrade = entries.get(5).get("details");
    assertThat(entries.get(5).get("command").asText()).isEqualTo("upgrade");
    assertThat(upgrade.get("source").asText()).isEqualTo(fx.source.describe());
    assertThat(upgrade.get("from_version").asText()).isEqualTo("v1.0.0");
    assertThat(upgrade.get("to_version").asText()).isEqualTo("v2.0.0");
    assertThat(upgrade.get("stream").asText()).isEqualTo("incremental");
    assertThat(upgrade.get("parent").asText()).isEqualTo("v1.0.0");
    assertThat(upgrade.get("bytes").asLong()).isPositive();
    JsonNode rollback = entries.get(7).get("details");
    assertThat(rollback.get("from_version").asText()).isEqualTo("v2.0.0");
    assertThat(rollback.get("to_version").asText()).isEqualTo("v1.0.0");
    for (JsonNode entry : entries) {
      assertThat(entry.get("user").asText()).isEqualTo(Operator.current().user());
    }
    assertThat(fx.agent().verifyAudit()).isEqualTo(8);
  }

  @Test
  void targetPrepareIsRecordedWithWhetherTheTargetIsReady() throws Exception {
    PrepareReport report = fx.agent().prepare(1);

    List<JsonNode> entries = target.auditFrom(0);
    assertThat(TargetInvariants.summary(entries))
        .containsExactly("target prepare started", "target prepare ok");
    JsonNode end = entries.get(1).get("details");
    assertThat(end.get("root").asText()).isEqualTo(fx.layout().root().toString());
    assertThat(end.get("ready").asText()).isEqualTo(Boolean.toString(report.ready()));
    assertThat(end.get("failed").asText())
        .isEqualTo(
            String.join(
                ",", report.checks().stream().filter(c -> !c.ok()).map(c -> c.name()).toList()));
    assertThat(fx.agent().verifyAudit()).isEqualTo(2);
  }

  @Test
  void aFailedCommandRecordsItsExitCodeAndReason() throws Exception {
    OpdeployException failure =
        (OpdeployException)
            org.assertj.core.api.Assertions.catchThrowable(() -> fx.agent().activate(v("v9.0.0")));
    assertThat(failure.getMessage()).startsWith("v9.0.0 is not deployed on this target");

    List<JsonNode> entries = target.auditFrom(0);
    assertThat(TargetInvariants.summary(entries))
        .containsExactly("activate started", "activate failed");
    assertThat(entries.get(1).get("details").get("exit").asText()).isEqualTo("1");
    assertThat(entries.get(1).get("details").get("error").asText()).isEqualTo(failure.getMessage());
  }

  @Test
  void aVerificationFailureRecordsExitThree() throws Exception {
    ThrowawayKey stranger = ThrowawayKey.generate("stranger <stranger@example.invalid>");

    assertThatThrownBy(() -> fx.agent(stranger).deploy(v("v1.0.0"), fx.source, false))
        .satisfies(e -> assertThat(((OpdeployException) e).exitCode().code()).isEqualTo(3));

    List<JsonNode> entries = target.auditFrom(0);
    assertThat(TargetInvariants.summary(entries))
        .containsExactly("deploy started", "deploy failed");
    assertThat(entries.get(1).get("details").get("exit").asText()).isEqualTo("3");
    assertThat(fx.deployment("v1.0.0")).doesNotExist();
  }

  @Test
  void aRunRefusedByTheLockWritesNothingAndNamesTheHolder() throws Exception {
    fx.agent().upgrade(v("v1.0.0"), fx.source, false);
    int mark = target.auditLines();
    byte[] state = Files.readAllBytes(fx.layout().stateFile());

    try (RunLock held = RunLock.acquire(fx.layout().lockFile(), "upgrade", Duration.ZERO)) {
      assertThatThrownBy(() -> fx.agent().rollback(Optional.of(v("v1.0.0"))))
          .isInstanceOf(LockHeldException.class)
          .hasMessageContaining("pid " + ProcessHandle.current().pid() + " (upgrade)");
    }

    assertThat(target.auditLines()).as("only the holder audits").isEqualTo(mark);
    assertThat(Files.readAllBytes(fx.layout().stateFile())).isEqualTo(state);
  }

  @Test
  void aKilledRunLeavesItsStartEntryAndTheRepairSaysWhatItDid() throws Exception {
    fx.agent().upgrade(v("v1.0.0"), fx.source, false);
    fx.agent().deploy(v("v2.0.0"), fx.source, false);
    int mark = target.auditLines();
    ChildTarget child = new ChildTarget(fx, Files.createDirectories(tempDir.resolve("logs")));

    ChildTarget.Result killed = child.run("switch-state-written", "activate", "v2.0.0");
    assertThat(killed.exitCode()).isEqualTo(137);
    assertThat(TargetInvariants.summary(target.auditFrom(mark)))
        .containsExactly("activate started");

    ChildTarget.Result next = child.run(null, "rollback", "v1.0.0");

    assertThat(next.exitCode()).as(next.stderr()).isZero();
    List<JsonNode> entries = target.auditFrom(mark);
    assertThat(TargetInvariants.summary(entries))
        .containsExactly(
            "activate started", "rollback started", "recover-switch ok", "rollback ok");
    JsonNode repair = entries.get(2).get("details");
    assertThat(repair.get("interrupted").asText()).isEqualTo("activate v1.0.0 -> v2.0.0");
    assertThat(repair.get("action").asText()).isEqualTo("completed");
    assertThat(fx.agent().verifyAudit()).isEqualTo(mark + 4);
    target.assertConverged("v1.0.0", "v1.0.0", "v2.0.0");
  }
}
