package org.opdeploy.deploy.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.BadInputException;
import org.opdeploy.process.ProcessResult;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;

/**
 * systemd is not PID 1 where the tests run, so {@code systemctl} is answered by a runner that
 * records the command lines; the unit link and drop-in are real files in a temporary unit folder.
 */
class SystemdServiceManagerTest {
  @TempDir Path dir;

  /** Records every command and answers like a running systemd; {@code is-active} as told. */
  static final class RecordingRunner extends ProcessRunner {
    final List<String> commands = new ArrayList<>();
    int isActiveExit;

    @Override
    public ProcessResult runAllowingFailure(ProcessSpec spec) {
      commands.add(spec.commandLine());
      return new ProcessResult(spec.commandLine().contains("is-active") ? isActiveExit : 0, "", "");
    }
  }

  private Path deployment(String version) throws Exception {
    Path unit = dir.resolve("deploy/@op-dbus-" + version + "/etc/systemd/system/op-dbus.service");
    Files.createDirectories(unit.getParent());
    Files.writeString(unit, "[Service]\nExecStart=/usr/local/bin/op-dbus run\n");
    return dir.resolve("deploy/@op-dbus-" + version);
  }

  @Test
  void activationLinksTheShippedUnitRunsItInTheOverlayAndRestartsIt() throws Exception {
    RecordingRunner runner = new RecordingRunner();
    Path units = dir.resolve("etc-systemd-system");
    SystemdServiceManager systemd = new SystemdServiceManager(runner, units, Path.of("/usr/local/op-dbus"));

    systemd.install("op-dbus.service", deployment("v1.0.0"));
    systemd.restart("op-dbus.service");
    assertThat(systemd.isActive("op-dbus.service")).isTrue();

    assertThat(Files.readSymbolicLink(units.resolve("op-dbus.service")))
        .isEqualTo(dir.resolve("deploy/@op-dbus-v1.0.0/etc/systemd/system/op-dbus.service"));
    assertThat(Files.readString(units.resolve("op-dbus.service.d/50-opdeploy.conf")))
        .contains("[Service]\nRootDirectory=/usr/local/op-dbus\n");
    assertThat(runner.commands).containsExactly("systemctl daemon-reload", "systemctl restart op-dbus.service",
        "systemctl is-active --quiet op-dbus.service");

    systemd.install("op-dbus.service", deployment("v1.1.0"));
    assertThat(Files.readSymbolicLink(units.resolve("op-dbus.service")).toString()).contains("@op-dbus-v1.1.0");
    try (var files = Files.list(units)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("op-dbus.service",
          "op-dbus.service.d");
    }
  }

  @Test
  void anInactiveUnitIsReportedSo() throws Exception {
    RecordingRunner runner = new RecordingRunner();
    runner.isActiveExit = 3;
    assertThat(new SystemdServiceManager(runner, dir, null).isActive("op-dbus.service")).isFalse();
  }

  @Test
  void aUnitFileTheAdministratorWroteIsNeverReplaced() throws Exception {
    Path units = dir.resolve("units");
    Files.createDirectories(units);
    Files.writeString(units.resolve("op-dbus.service"), "[Service]\nExecStart=/bin/true\n");
    SystemdServiceManager systemd = new SystemdServiceManager(new RecordingRunner(), units, null);
    assertThatThrownBy(() -> systemd.install("op-dbus.service", deployment("v1.0.0")))
        .hasMessageContaining("is a regular file, not opdeploy's link");
    assertThat(Files.readString(units.resolve("op-dbus.service"))).contains("/bin/true");
  }

  @Test
  void aUnitNameFromTheManifestCannotEscapeTheUnitFolder() {
    SystemdServiceManager systemd = new SystemdServiceManager(new RecordingRunner(), dir, null);
    assertThatThrownBy(() -> systemd.restart("../../etc/passwd.service")).isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> systemd.restart("op-dbus.service; reboot")).isInstanceOf(BadInputException.class);
  }

  @Test
  void aDeploymentWithoutTheUnitSaysWhatToDo() throws Exception {
    Path empty = dir.resolve("deploy/@op-dbus-v2.0.0");
    Files.createDirectories(empty);
    SystemdServiceManager systemd = new SystemdServiceManager(new RecordingRunner(), dir.resolve("u"), null);
    assertThatThrownBy(() -> systemd.install("op-dbus.service", empty))
        .hasMessageContaining("ships no op-dbus.service").hasMessageContaining("service: none");
  }
}
