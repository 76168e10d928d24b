package org.opdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.deploy.state.StateFile;
import org.opdeploy.deploy.state.TargetState;
import org.opdeploy.version.Version;

class TargetStateTest {
  @TempDir Path tempDir;

  @Test
  void deploymentFolderNamesYieldTheirVersionEvenWhenTheNameHasDashes() throws Exception {
    assertThat(TargetLayout.versionOf("@op-dbus-v1.2.0")).contains(Version.parse("v1.2.0"));
    assertThat(TargetLayout.versionOf("@op-dbus-nightly-20250101.2")).contains(Version.parse("nightly-20250101.2"));
    assertThat(TargetLayout.versionOf("@op-dbus-golden")).isEmpty();
    assertThat(TargetLayout.versionOf(".staging")).isEmpty();
  }

  @Test
  void highestInstalledIsKeptPerTrackAndSurvivesARoundTrip() throws Exception {
    StateFile file = new StateFile(tempDir.resolve("state.json"));
    TargetState state = TargetState.empty()
        .withInstalled("op-dbus", Version.parse("v1.2.0"))
        .withInstalled("op-dbus", Version.parse("v1.1.0"))
        .withInstalled("op-dbus", Version.parse("nightly-20250101"))
        .withActivated(Version.parse("v1.1.0"))
        .withActivated(Version.parse("v1.2.0"))
        .withFailed(Version.parse("v1.3.0"));
    file.write(state);

    TargetState read = file.read();
    assertThat(read.highestOnTrackOf(Version.parse("v0.1.0"))).contains(Version.parse("v1.2.0"));
    assertThat(read.highestOnTrackOf(Version.parse("nightly-20240101"))).contains(Version.parse("nightly-20250101"));
    assertThat(read.active()).isEqualTo("v1.2.0");
    assertThat(read.previous()).isEqualTo("v1.1.0");
    assertThat(read.failed()).containsExactly("v1.3.0");
    assertThat(read.withHealthy(Version.parse("v1.3.0")).failed()).isEmpty();
    assertThat(tempDir.resolve("state.json.tmp")).doesNotExist();
  }

  @Test
  void aPendingVersionStaysPendingUntilItsHealthCheckPassesOrFails() throws Exception {
    Version v1 = Version.parse("v1.0.0");
    Version v2 = Version.parse("v1.1.0");
    StateFile file = new StateFile(tempDir.resolve("state.json"));
    TargetState pending = file.write(TargetState.empty().withActivated(v1).withHealthy(v1).withActivated(v2)
        .withPending(v2));
    assertThat(file.read().pendingVersion()).contains(v2);
    assertThat(file.read().lastKnownGoodVersion()).contains(v1);
    assertThat(pending.withHealthy(v2).pendingVersion()).isEmpty();
    assertThat(pending.withFailed(v2).pendingVersion()).isEmpty();
    assertThat(pending.withActivated(v1).pendingVersion()).isEmpty();
    assertThat(pending.withFailed(Version.parse("v9.0.0")).pendingVersion()).contains(v2);
  }

  @Test
  void healthCommandRunsTheDeploymentsCopyOfAnAbsoluteProgram() throws Exception {
    Path mount = tempDir.resolve("mount");
    Path tool = mount.resolve("usr/local/bin/op-dbus");
    java.nio.file.Files.createDirectories(tool.getParent());
    java.nio.file.Files.writeString(tool, "#!/bin/sh\n");
    tool.toFile().setExecutable(true);

    assertThat(org.opdeploy.deploy.service.CheckHealthStepAccess.resolve("/usr/local/bin/op-dbus query", mount))
        .isEqualTo(tool + " query");
    assertThat(org.opdeploy.deploy.service.CheckHealthStepAccess.resolve("/bin/true", mount)).isEqualTo("/bin/true");
    assertThat(org.opdeploy.deploy.service.CheckHealthStepAccess.resolve("curl -f localhost", mount))
        .isEqualTo("curl -f localhost");
  }
}
