package org.opdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.deploy.activate.DeploymentMounts;
import org.opdeploy.deploy.boot.BootResult;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/**
 * {@code target boot} on real btrfs with the recording service manager: after a "reboot" (the
 * mounts detached) the active version comes back; one whose upgrade never got past its health check
 * does not, last-known-good does.
 */
class TargetBootIT {
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

  private String mountedVersion() throws Exception {
    return Files.readString(fx.settings.mount().resolve("etc/op-dbus/version")).strip();
  }

  /** What a reboot does to the mounts: they are gone. */
  private void reboot() throws Exception {
    DeploymentMounts mounts = new DeploymentMounts(new ProcessRunner());
    mounts.detach(fx.settings.overlay());
    mounts.detach(fx.settings.mount());
    assertThat(mounts.isMounted(fx.settings.mount())).isFalse();
  }

  @Test
  void theActiveVersionIsMountedAgainAndItsServiceStartedWithoutWaiting() throws Exception {
    fx.publish("v1.0.0", null);
    fx.agent().upgrade(Version.parse("v1.0.0"), fx.source, false);
    reboot();

    BootResult booted = fx.agent().boot().orElseThrow();

    assertThat(booted.activation().version()).isEqualTo(Version.parse("v1.0.0"));
    assertThat(booted.skipped()).isNull();
    assertThat(mountedVersion()).isEqualTo("v1.0.0");
    assertThat(fx.settings.overlay().resolve("etc/op-dbus/version")).hasContent("v1.0.0\n");
    assertThat(fx.services.calls())
        .endsWith("install op-dbus.service @op-dbus-v1.0.0", "restart op-dbus.service");
    assertThat(fx.state().active()).hasToString("v1.0.0");
  }

  @Test
  void aVersionWhoseHealthCheckNeverFinishedDoesNotComeBackLastKnownGoodDoes() throws Exception {
    fx.publish("v1.0.0", null);
    fx.publish("v1.1.0", "v1.0.0");
    fx.agent().upgrade(Version.parse("v1.0.0"), fx.source, false);
    // The power goes while v1.1.0's health check runs: the upgrade never gets to decide.
    ProgressListener powerCut =
        new ProgressListener() {
          @Override
          public void stepStarted(String name) {
            if (name.startsWith("health check")) {
              throw new IllegalStateException("power cut");
            }
          }
        };
    assertThatThrownBy(() -> fx.agent(powerCut).upgrade(Version.parse("v1.1.0"), fx.source, false))
        .hasMessageContaining("power cut");
    assertThat(Files.readSymbolicLink(fx.layout().current()).toString())
        .isEqualTo("deploy/@op-dbus-v1.1.0");
    assertThat(fx.state().active())
        .as("not committed before the check passes")
        .hasToString("v1.0.0");
    assertThat(fx.layout().switchFile()).exists();
    reboot();

    BootResult booted = fx.agent().boot().orElseThrow();

    assertThat(booted.activation().version()).isEqualTo(Version.parse("v1.0.0"));
    assertThat(booted.skipped()).isEqualTo(Version.parse("v1.1.0"));
    assertThat(mountedVersion()).isEqualTo("v1.0.0");
    assertThat(Files.readSymbolicLink(fx.layout().current()).toString())
        .isEqualTo("deploy/@op-dbus-v1.0.0");
    assertThat(fx.state().active()).hasToString("v1.0.0");
    assertThat(fx.state().lastKnownGood()).hasToString("v1.0.0");
    assertThat(fx.state().failed()).extracting(Object::toString).containsExactly("v1.1.0");
    assertThat(fx.layout().switchFile()).doesNotExist();
    assertThat(fx.services.installedFrom()).isEqualTo(fx.deployment("v1.0.0"));

    // The next boot stays there.
    reboot();
    assertThat(fx.agent().boot().orElseThrow().activation().version())
        .isEqualTo(Version.parse("v1.0.0"));
  }

  @Test
  void aTargetNothingWasActivatedOnBootsNothing() throws Exception {
    assertThat(fx.agent().boot()).isEmpty();
    assertThat(fx.services.calls()).isEmpty();
  }
}
