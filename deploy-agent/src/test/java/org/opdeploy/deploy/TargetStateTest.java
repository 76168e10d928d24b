package org.opdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.deploy.layout.TargetLayout;
import org.opdeploy.deploy.state.StateFile;
import org.opdeploy.deploy.state.TargetState;
import org.opdeploy.version.Version;

class TargetStateTest {
  @TempDir Path tempDir;

  @Test
  void deploymentFolderNamesYieldTheirVersionEvenWhenTheNameHasDashes() throws Exception {
    assertThat(TargetLayout.versionOf("@op-dbus-v1.2.0")).contains(Version.parse("v1.2.0"));
    assertThat(TargetLayout.versionOf("@op-dbus-nightly-20250101.2"))
        .contains(Version.parse("nightly-20250101.2"));
    assertThat(TargetLayout.versionOf("@op-dbus-golden")).isEmpty();
    assertThat(TargetLayout.versionOf(".staging")).isEmpty();
  }

  @Test
  void aStateFileWrittenWhenVersionsWereTextReadsTypedAndIsWrittenTheSameWay() throws Exception {
    Path json = tempDir.resolve("state.json");
    String before =
        "{\"format\":1,\"name\":\"op-dbus\",\"active\":\"v1.2.0\",\"previous\":\"v1.1.0\","
            + "\"last_known_good\":null,\"highest_installed\":{\"tagged\":\"v1.2.0\","
            + "\"nightly\":\"nightly-20250101\"},\"failed\":[\"v1.3.0\"],\"source\":\"dir:/r\","
            + "\"updated\":\"2026-01-01T00:00:00Z\"}";
    java.nio.file.Files.writeString(json, before);
    StateFile file = new StateFile(json);

    TargetState read = file.read();

    assertThat(read.active()).isEqualTo(Version.parse("v1.2.0"));
    assertThat(read.previous()).isEqualTo(Version.parse("v1.1.0"));
    assertThat(read.lastKnownGood()).isNull();
    assertThat(read.failed()).containsExactly(Version.parse("v1.3.0"));
    assertThat(read.highestOnTrackOf(Version.parse("nightly-20240101")))
        .contains(Version.parse("nightly-20250101"));
    file.write(read);
    assertThat(java.nio.file.Files.readString(json))
        .contains("\"active\" : \"v1.2.0\"")
        .contains("\"failed\" : [ \"v1.3.0\" ]")
        .contains("\"tagged\" : \"v1.2.0\"");
  }

  @Test
  void highestInstalledIsKeptPerTrackAndSurvivesARoundTrip() throws Exception {
    StateFile file = new StateFile(tempDir.resolve("state.json"));
    TargetState state =
        TargetState.empty()
            .withInstalled("op-dbus", Version.parse("v1.2.0"))
            .withInstalled("op-dbus", Version.parse("v1.1.0"))
            .withInstalled("op-dbus", Version.parse("nightly-20250101"))
            .withActivated(Version.parse("v1.1.0"))
            .withActivated(Version.parse("v1.2.0"))
            .withFailed(Version.parse("v1.3.0"));
    file.write(state);

    TargetState read = file.read();
    assertThat(read.highestOnTrackOf(Version.parse("v0.1.0"))).contains(Version.parse("v1.2.0"));
    assertThat(read.highestOnTrackOf(Version.parse("nightly-20240101")))
        .contains(Version.parse("nightly-20250101"));
    assertThat(read.active()).hasToString("v1.2.0");
    assertThat(read.previous()).hasToString("v1.1.0");
    assertThat(read.failed()).extracting(Object::toString).containsExactly("v1.3.0");
    assertThat(read.withHealthy(Version.parse("v1.3.0")).failed()).isEmpty();
    assertThat(tempDir.resolve("state.json.tmp")).doesNotExist();
  }

  @Test
  void healthCommandRunsTheDeploymentsCopyOfAnAbsoluteProgram() throws Exception {
    Path mount = tempDir.resolve("mount");
    Path tool = mount.resolve("usr/local/bin/op-dbus");
    java.nio.file.Files.createDirectories(tool.getParent());
    java.nio.file.Files.writeString(tool, "#!/bin/sh\n");
    tool.toFile().setExecutable(true);

    assertThat(
            org.opdeploy.deploy.service.CheckHealthStepAccess.resolve(
                "/usr/local/bin/op-dbus query", mount))
        .isEqualTo(tool + " query");
    assertThat(org.opdeploy.deploy.service.CheckHealthStepAccess.resolve("/bin/true", mount))
        .isEqualTo("/bin/true");
    assertThat(
            org.opdeploy.deploy.service.CheckHealthStepAccess.resolve("curl -f localhost", mount))
        .isEqualTo("curl -f localhost");
  }

  @Test
  void aSwitchIntentSurvivesARoundTripAndIsGoneOnceCleared() throws Exception {
    org.opdeploy.deploy.state.SwitchJournal journal =
        new org.opdeploy.deploy.state.SwitchJournal(tempDir.resolve("switch.json"));
    TargetState before =
        TargetState.empty()
            .withInstalled("op-dbus", Version.parse("v1.0.0"))
            .withActivated(Version.parse("v1.0.0"));
    TargetState after =
        before.withActivated(Version.parse("v2.0.0")).withHealthy(Version.parse("v2.0.0"));

    journal.begin(
        org.opdeploy.deploy.state.SwitchIntent.of(
            "upgrade",
            Version.parse("v2.0.0"),
            true,
            before,
            after,
            java.time.Instant.parse("2026-12-01T10:00:00Z")));
    var read = journal.read().orElseThrow();

    assertThat(read.describe()).isEqualTo("upgrade v1.0.0 -> v2.0.0");
    assertThat(read.healthCheck()).isTrue();
    assertThat(read.after().sameAs(after)).isTrue();
    assertThat(read.before().sameAs(after)).isFalse();
    assertThat(tempDir.resolve("switch.json.tmp")).doesNotExist();
    journal.clear();
    assertThat(journal.read()).isEmpty();
  }

  @Test
  void statesThatDifferOnlyInTheirWriteTimeAreTheSame() throws Exception {
    StateFile file = new StateFile(tempDir.resolve("state.json"));
    TargetState state = TargetState.empty().withActivated(Version.parse("v1.0.0"));

    TargetState written = file.write(state);

    assertThat(written.updated()).isNotNull();
    assertThat(file.read().sameAs(state)).isTrue();
    assertThat(file.read().sameAs(state.withFailed(Version.parse("v1.0.0")))).isFalse();
  }
}
