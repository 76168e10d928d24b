package org.opdeploy.deploy.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.BadInputException;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.manifest.ServiceAccount;
import org.opdeploy.process.ProcessResult;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;
import org.opdeploy.version.Version;

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
    int getentExit;

    @Override
    public ProcessResult runAllowingFailure(ProcessSpec spec) {
      commands.add(spec.commandLine());
      int exit =
          spec.commandLine().contains("is-active")
              ? isActiveExit
              : spec.commandLine().startsWith("getent ") ? getentExit : 0;
      return new ProcessResult(exit, "", "");
    }
  }

  private static Manifest manifest(ServiceAccount account) {
    return new Manifest(
        1,
        "op-dbus",
        Version.tryParse("v1.0.0").orElseThrow(),
        Instant.parse("2026-01-01T00:00:00Z"),
        null,
        null,
        null,
        new Manifest.BtrfsInfo(1, false),
        "op-dbus.service",
        new Manifest.Health("/usr/local/bin/op-dbus query", 5),
        List.of(),
        account);
  }

  private static Manifest manifest() {
    return manifest(null);
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
    SystemdServiceManager systemd =
        new SystemdServiceManager(runner, units, Path.of("/usr/local/op-dbus"));

    systemd.install(manifest(), deployment("v1.0.0"));
    systemd.restart("op-dbus.service");
    assertThat(systemd.isActive("op-dbus.service")).isTrue();

    assertThat(Files.readSymbolicLink(units.resolve("op-dbus.service")))
        .isEqualTo(dir.resolve("deploy/@op-dbus-v1.0.0/etc/systemd/system/op-dbus.service"));
    assertThat(Files.readString(units.resolve("op-dbus.service.d/50-opdeploy.conf")))
        .contains("[Service]\nRootDirectory=/usr/local/op-dbus\n")
        .contains("After=opdeploy-boot.service\n", "AssertPathIsMountPoint=/usr/local/op-dbus\n")
        .contains("ConfigurationDirectory=\n", "StateDirectory=\nStateDirectory=op-dbus\n")
        .contains("BindPaths=\nBindPaths=/run/dbus\nBindPaths=-/run/openvswitch\n")
        .doesNotContain("User=", "Capabilit");
    assertThat(runner.commands)
        .containsExactly(
            "systemctl daemon-reload",
            "systemctl enable --quiet op-dbus.service",
            "systemctl restart op-dbus.service",
            "systemctl is-active --quiet op-dbus.service");

    systemd.install(manifest(), deployment("v1.1.0"));
    assertThat(Files.readSymbolicLink(units.resolve("op-dbus.service")).toString())
        .contains("@op-dbus-v1.1.0");
    try (var files = Files.list(units)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("op-dbus.service", "op-dbus.service.d");
    }
  }

  @Test
  void theServiceAccountOfTheManifestGoesIntoTheDropInAndTheConfinedHealthCheck() throws Exception {
    RecordingRunner runner = new RecordingRunner();
    Path units = dir.resolve("units");
    SystemdServiceManager systemd =
        new SystemdServiceManager(runner, units, Path.of("/usr/local/op-dbus"));
    Manifest manifest =
        manifest(ServiceAccount.of("opdbus", false, List.of("cap_net_admin", "CAP_NET_RAW"), "t"));

    systemd.install(manifest, deployment("v1.0.0"));

    assertThat(Files.readString(units.resolve("op-dbus.service.d/50-opdeploy.conf")))
        .contains(
            "User=opdbus\n"
                + "CapabilityBoundingSet=\nAmbientCapabilities=\nCapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW\n"
                + "AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW\n");
    String health =
        systemd
            .healthCheck(
                manifest,
                "/usr/local/bin/op-dbus query",
                Version.parse("v1.0.0"),
                Path.of("/opt/op-dbus"),
                Duration.ofSeconds(7))
            .commandLine();
    assertThat(health)
        .startsWith("systemd-run --wait --pipe")
        .contains(
            "-p RootDirectory=/usr/local/op-dbus",
            "-p User=opdbus",
            "-p RuntimeMaxSec=7",
            "-p NoNewPrivileges=yes",
            "-p CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW")
        .endsWith("/bin/sh -c /usr/local/bin/op-dbus query");
  }

  @Test
  void aDynamicUserRunsUnderThePayloadsNameWithNoCapabilitiesWhenNoneAreListed() throws Exception {
    Path units = dir.resolve("units");
    SystemdServiceManager systemd =
        new SystemdServiceManager(new RecordingRunner(), units, Path.of("/srv/o"));
    systemd.install(manifest(ServiceAccount.of(null, true, List.of(), "t")), deployment("v1.0.0"));
    assertThat(Files.readString(units.resolve("op-dbus.service.d/50-opdeploy.conf")))
        .contains("DynamicUser=yes\nUser=op-dbus\nCapabilityBoundingSet=\nAmbientCapabilities=\n")
        .doesNotContain("CapabilityBoundingSet=CAP");
  }

  @Test
  void aServiceUserTheHostLacksIsCreatedWithTheGoldensUidAndAnUnknownOneIsRefusedBeforeAnySwitch()
      throws Exception {
    RecordingRunner runner = new RecordingRunner();
    runner.getentExit = 2;
    SystemdServiceManager systemd =
        new SystemdServiceManager(runner, dir.resolve("units"), Path.of("/srv/o"));
    Path deployment = deployment("v1.0.0");
    Files.createDirectories(deployment.resolve("etc"));
    Files.writeString(
        deployment.resolve("etc/passwd"),
        "root:x:0:0::/root:/bin/sh\nopdbus:x:990:990::/:/bin/false\n");

    systemd.prepare(manifest(ServiceAccount.of("opdbus", false, List.of(), "t")), deployment);
    assertThat(runner.commands)
        .containsExactly(
            "getent passwd opdbus",
            "useradd --system --no-create-home"
                + " --home-dir /nonexistent --shell /usr/sbin/nologin --uid 990 opdbus");

    runner.commands.clear();
    assertThatThrownBy(
            () ->
                systemd.prepare(
                    manifest(ServiceAccount.of("ghost", false, List.of(), "t")), deployment))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("unknown user 'ghost'");
    assertThat(runner.commands).containsExactly("getent passwd ghost");
    assertThat(dir.resolve("units")).doesNotExist();
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
    assertThatThrownBy(() -> systemd.install(manifest(), deployment("v1.0.0")))
        .hasMessageContaining("is a regular file, not opdeploy's link");
    assertThat(Files.readString(units.resolve("op-dbus.service"))).contains("/bin/true");
  }

  @Test
  void aUnitNameFromTheManifestCannotEscapeTheUnitFolder() {
    SystemdServiceManager systemd = new SystemdServiceManager(new RecordingRunner(), dir, null);
    assertThatThrownBy(() -> systemd.restart("../../etc/passwd.service"))
        .isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> systemd.restart("op-dbus.service; reboot"))
        .isInstanceOf(BadInputException.class);
  }

  @Test
  void aDeploymentWithoutTheUnitSaysWhatToDo() throws Exception {
    Path empty = dir.resolve("deploy/@op-dbus-v2.0.0");
    Files.createDirectories(empty);
    SystemdServiceManager systemd =
        new SystemdServiceManager(new RecordingRunner(), dir.resolve("u"), null);
    assertThatThrownBy(() -> systemd.install(manifest(), empty))
        .hasMessageContaining("ships no op-dbus.service")
        .hasMessageContaining("service: none");
  }
}
