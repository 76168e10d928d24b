package org.opdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.btrfs.BtrfsCli;
import org.opdeploy.btrfs.SubvolumeInfo;
import org.opdeploy.deploy.activate.ActivationResult;
import org.opdeploy.deploy.activate.UpgradeFailedException;
import org.opdeploy.deploy.activate.UpgradeResult;
import org.opdeploy.deploy.prune.PruneResult;
import org.opdeploy.deploy.receive.DeployResult;
import org.opdeploy.deploy.status.StatusReport;
import org.opdeploy.error.ExitCode;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.version.Version;

class TargetLifecycleIT {
  @TempDir Path tempDir;
  private TargetFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = new TargetFixture(tempDir, 1024);
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  private static Version v(String text) throws Exception {
    return Version.parse(text);
  }

  private String mountedVersion() throws Exception {
    return Files.readString(fx.settings.mount().resolve("etc/op-dbus/version")).strip();
  }

  @Test
  void fullDeployReceivesAReadOnlyDeploymentCarryingTheManifestUuid() throws Exception {
    fx.publish("v1.0.0", null);
    Manifest manifest = fx.releases.release("v1.0.1", null, null, 100_000);

    DeployResult result = fx.agent().deploy(v("v1.0.1"), fx.source, false);

    assertThat(result.incremental()).isFalse();
    SubvolumeInfo info = new BtrfsCli(new ProcessRunner()).show(fx.deployment("v1.0.1"));
    assertThat(info.readOnly()).isTrue();
    assertThat(info.receivedUuid()).isEqualTo(manifest.subvolume().uuid());
    assertThat(Files.readString(fx.deployment("v1.0.1").resolve("etc/op-dbus/version")))
        .isEqualTo("v1.0.0\n");
    assertThat(manifest.fullStream().orElseThrow().files()).hasSizeGreaterThan(1);
    assertThat(fx.layout().staging()).isEmptyDirectory();
    assertThat(fx.state().highestOnTrackOf(v("v1.0.1"))).contains(v("v1.0.1"));
    List<String> commands = fx.runner.commands();
    int received = indexOf(commands, "btrfs -q receive -C -e " + fx.layout().deployments());
    assertThat(received).as("the receive ran").isNotNegative();
    String sync = "btrfs filesystem sync " + fx.deployment("v1.0.1");
    assertThat(indexOf(commands.subList(received, commands.size()), sync))
        .as("the received data is synced before the deployment is promoted")
        .isNotNegative();
  }

  private static int indexOf(List<String> commands, String fragment) {
    for (int i = 0; i < commands.size(); i++) {
      if (commands.get(i).contains(fragment)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void upgradeUsesTheIncrementalStreamWhenTheTargetHoldsTheParent() throws Exception {
    fx.publish("v1.0.0", null);
    fx.publish("v1.1.0", "v1.0.0");
    TargetAgent agent = fx.agent();
    agent.upgrade(v("v1.0.0"), fx.faults, false);

    UpgradeResult upgrade = agent.upgrade(v("v1.1.0"), fx.faults, false);

    assertThat(upgrade.deploy().incremental()).isTrue();
    assertThat(upgrade.deploy().parent()).isEqualTo(v("v1.0.0"));
    assertThat(fx.faults.requested("op-dbus-v1.1.0-from-v1.0.0.send.zst")).isTrue();
    assertThat(fx.faults.requested("op-dbus-v1.1.0.send.zst")).isFalse();
    assertThat(mountedVersion()).isEqualTo("v1.1.0");
    assertThat(Files.readString(fx.settings.overlay().resolve("etc/op-dbus/version")).strip())
        .isEqualTo("v1.1.0");
    assertThat(Files.readSymbolicLink(fx.layout().current()).toString())
        .isEqualTo("deploy/@op-dbus-v1.1.0");
    assertThat(fx.state().active()).hasToString("v1.1.0");
    assertThat(fx.state().previous()).hasToString("v1.0.0");
    assertThat(fx.state().lastKnownGood()).hasToString("v1.1.0");
    assertThat(fx.services.calls())
        .contains("install op-dbus.service @op-dbus-v1.1.0", "restart op-dbus.service");
    assertThat(fx.agent().verifyAudit()).as("a start and an end line per run").isEqualTo(4);
  }

  @Test
  void rollbackSwitchesBackAndRollbackToReachesAnyDeployedVersion() throws Exception {
    fx.publish("v1.0.0", null);
    fx.publish("v1.1.0", "v1.0.0");
    fx.publish("v1.2.0", "v1.1.0");
    TargetAgent agent = fx.agent();
    for (String version : new String[] {"v1.0.0", "v1.1.0", "v1.2.0"}) {
      agent.upgrade(v(version), fx.source, false);
    }
    fx.runner.clear();

    ActivationResult back = agent.rollback(Optional.empty());

    assertThat(back.version()).isEqualTo(v("v1.1.0"));
    assertThat(back.unit()).isEqualTo("op-dbus.service");
    assertThat(back.restarted()).as("a managed service is restarted, and says so").isTrue();
    assertThat(mountedVersion()).isEqualTo("v1.1.0");
    assertThat(fx.state().previous()).hasToString("v1.2.0");
    assertThat(fx.runner.commands()).noneMatch(c -> c.contains("receive"));

    agent.rollback(Optional.of(v("v1.0.0")));

    assertThat(mountedVersion()).isEqualTo("v1.0.0");
    assertThat(fx.state().active()).hasToString("v1.0.0");
    assertThat(fx.services.installedFrom()).isEqualTo(fx.deployment("v1.0.0"));
    assertThatThrownBy(() -> agent.rollback(Optional.of(v("v9.0.0"))))
        .hasMessageContaining("v9.0.0 is not deployed");
    assertThat(fx.state().active()).hasToString("v1.0.0");
  }

  @Test
  void failingHealthCheckRollsBackToThePreviousVersionAndRecordsTheFailure() throws Exception {
    fx.publish("v1.0.0", null);
    fx.releases.writePayload("v1.1.0", 1, 1024);
    fx.releases.release("v1.1.0", "v1.0.0", null, 0);
    TargetAgent agent = fx.agent();
    agent.upgrade(v("v1.0.0"), fx.source, false);

    assertThatThrownBy(() -> agent.upgrade(v("v1.1.0"), fx.source, false))
        .isInstanceOf(UpgradeFailedException.class)
        .hasMessageContaining("v1.1.0 failed its health check")
        .hasMessageContaining("rolled back to v1.0.0")
        .satisfies(
            e -> assertThat(((UpgradeFailedException) e).exitCode()).isEqualTo(ExitCode.FAILED));

    assertThat(mountedVersion()).isEqualTo("v1.0.0");
    assertThat(Files.readSymbolicLink(fx.layout().current()).toString())
        .isEqualTo("deploy/@op-dbus-v1.0.0");
    assertThat(fx.state().active()).hasToString("v1.0.0");
    assertThat(fx.state().lastKnownGood()).hasToString("v1.0.0");
    assertThat(fx.state().failed()).extracting(Object::toString).containsExactly("v1.1.0");
    assertThat(fx.services.installedFrom()).isEqualTo(fx.deployment("v1.0.0"));
    assertThat(fx.services.calls()).last().isEqualTo("restart op-dbus.service");
  }

  @Test
  void incrementalFallsBackToTheFullStreamWhenTheParentIsGone() throws Exception {
    fx.publish("v1.0.0", null);
    fx.publish("v1.1.0", "v1.0.0");
    TargetAgent agent = fx.agent();
    agent.deploy(v("v1.0.0"), fx.source, false);
    new BtrfsCli(new ProcessRunner()).delete(fx.deployment("v1.0.0"));

    DeployResult result = agent.deploy(v("v1.1.0"), fx.source, false);

    assertThat(result.incremental()).isFalse();
    assertThat(result.parent()).isNull();
    assertThat(Files.readString(fx.deployment("v1.1.0").resolve("etc/op-dbus/version")))
        .isEqualTo("v1.1.0\n");
  }

  @Test
  void pruneNeverRemovesActivePreviousLastKnownGoodOrTheNewest() throws Exception {
    fx.publish("v1.0.0", null);
    fx.publish("v1.1.0", "v1.0.0");
    fx.publish("v1.2.0", "v1.1.0");
    fx.publish("v1.3.0", "v1.2.0");
    TargetAgent agent = fx.agent();
    for (String version : new String[] {"v1.0.0", "v1.1.0", "v1.2.0"}) {
      agent.upgrade(v(version), fx.source, false);
    }
    agent.deploy(v("v1.3.0"), fx.source, false);
    agent.rollback(Optional.of(v("v1.0.0")));

    PruneResult result = agent.prune(1);

    assertThat(result.removed()).containsExactly(v("v1.1.0"));
    assertThat(result.kept()).containsKeys(v("v1.0.0"), v("v1.2.0"), v("v1.3.0"));
    assertThat(fx.deployment("v1.1.0")).doesNotExist();
    assertThat(fx.layout().cache(v("v1.1.0"))).doesNotExist();
    StatusReport status = agent.status();
    assertThat(status.installed())
        .extracting(i -> i.version().toString())
        .containsExactly("v1.0.0", "v1.2.0", "v1.3.0");
    assertThat(status.installed()).allMatch(i -> i.bytes() > 0);
    assertThat(status.active()).hasToString("v1.0.0");
    assertThat(status.source()).isEqualTo(fx.source.describe());
  }
}
