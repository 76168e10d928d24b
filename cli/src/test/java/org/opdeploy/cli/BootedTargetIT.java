package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.process.ProcessResult;

/**
 * A real booted systemd target (Debian 12 in {@code systemd-nspawn -b}) driven through the real
 * {@code SystemdServiceManager}: deploy, activate, an incremental upgrade carrying machine-local
 * changes, a reboot, a failed health check rolled back, a reboot, and a power cut while an
 * upgrade's health check is still pending. It checks what an operator would: the unit enabled and
 * active, the mounts, what the running service can see, as whom and with which capabilities.
 */
class BootedTargetIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String UNIT = "op-dbus.service";

  @TempDir Path dir;

  @Test
  void aBootedTargetUpgradesRebootsRollsBackAndNeverBootsAVersionThatWasNotHealthy()
      throws Exception {
    long started = System.nanoTime();
    try (TwoHosts hosts = TwoHosts.create(dir, null)) {
      Path store = dir.resolve("releases");
      releaseAll(hosts, store);
      try (BootedTarget target =
          BootedTarget.create(
              dir, hosts.target.root(), store, Files.readString(dir.resolve("trusted.asc")))) {
        target.boot();
        target.sh("mkdir -p /run/openvswitch && : > /run/openvswitch/db.sock");

        // deploy -> activate: the unit is enabled (not only linked), active, the payload mounted.
        ok(target.opdeploy("deploy", "v1.0.0"));
        ok(target.opdeploy("activate", "v1.0.0"));
        assertThat(out(target.exec("systemctl", "is-enabled", UNIT))).isEqualTo("enabled");
        assertThat(out(target.exec("systemctl", "is-active", UNIT))).isEqualTo("active");
        assertThat(out(target.exec("cat", "/opt/op-dbus/etc/op-dbus/build-info")))
            .isEqualTo("version=v1.0.0");
        assertServiceSeesOnlyItsOwn(target, "v1.0.0", true);

        // Machine-local changes in the overlay: one file added, one the next release changes too.
        target.sh(
            "echo 'peer = 10.0.0.7' > /usr/local/op-dbus/etc/op-dbus/local.conf"
                + " && echo '# tuned on this machine' >> /usr/local/op-dbus/etc/op-dbus/config.toml");

        // upgrade (incremental), with the service's downtime measured by systemd itself.
        ProcessResult upgrade = target.opdeploy("--json", "upgrade", "v1.1.0");
        JsonNode upgraded = JSON.readTree(ok(upgrade));
        assertThat(upgraded.at("/deploy/stream").asText()).isEqualTo("incremental");
        assertThat(upgraded.get("healthy").asBoolean()).isTrue();
        assertThat(upgrade.stderrTail())
            .contains("machine-local change to /etc/op-dbus/config.toml kept");
        long downtimeMicros = downtimeMicros(target);
        System.out.printf(
            "booted target: service downtime during upgrade (stop -> active): %.1f ms%n",
            downtimeMicros / 1000.0);
        assertThat(downtimeMicros).isPositive().isLessThan(10_000_000);
        assertThat(out(target.exec("cat", "/usr/local/op-dbus/etc/op-dbus/local.conf")))
            .isEqualTo("peer = 10.0.0.7");
        // Changed on both sides: the machine's copy wins; the release's stays readable in the
        // mount.
        assertThat(out(target.exec("cat", "/usr/local/op-dbus/etc/op-dbus/config.toml")))
            .contains("# tuned on this machine")
            .doesNotContain("# release v1.1.0");
        assertThat(out(target.exec("cat", "/opt/op-dbus/etc/op-dbus/config.toml")))
            .contains("# release v1.1.0");
        assertServiceSeesOnlyItsOwn(target, "v1.1.0", true);

        // REBOOT: the same version comes back, mounted, its service running, with nothing run by
        // hand.
        target.reboot();
        assertBootedOn(target, "v1.1.0");
        assertThat(out(target.exec("cat", "/usr/local/op-dbus/etc/op-dbus/local.conf")))
            .isEqualTo("peer = 10.0.0.7");
        // /run is new after a boot and holds no Open vSwitch now: the service starts without it.
        assertServiceSeesOnlyItsOwn(target, "v1.1.0", false);

        // A release failing its (confined) health check is rolled back automatically.
        ProcessResult failed = target.opdeploy("upgrade", "v1.2.0");
        assertThat(failed.exitCode()).as(failed.stderrTail()).isEqualTo(1);
        assertThat(failed.stderrTail())
            .contains("rolled back to v1.1.0")
            .contains("unhealthy as opdbus with CapEff0000000000003000");
        JsonNode status = JSON.readTree(ok(target.opdeploy("--json", "status")));
        assertThat(status.get("active").asText()).isEqualTo("v1.1.0");
        assertThat(out(target.exec("systemctl", "is-active", UNIT))).isEqualTo("active");
        assertThat(out(target.exec("cat", "/usr/local/op-dbus/etc/op-dbus/local.conf")))
            .isEqualTo("peer = 10.0.0.7");

        target.reboot();
        assertBootedOn(target, "v1.1.0");

        // A power cut while an upgrade's health check is pending: that version must not come back.
        target.sh("setsid opdeploy upgrade v1.2.0 > /root/upgrade.log 2>&1 < /dev/null &");
        awaitPending(hosts.target.root().resolve("switch.json"), "v1.2.0");
        awaitReport(target, "v1.2.0");
        target.powerCut();
        target.boot();
        assertBootedOn(target, "v1.1.0");
        JsonNode after = JSON.readTree(ok(target.opdeploy("--json", "status")));
        assertThat(after.get("failed").toString()).contains("v1.2.0");
        assertThat(
                out(target.exec("journalctl", "-b", "-u", "opdeploy-boot.service", "--no-pager")))
            .contains("v1.2.0 never passed its health check");

        // The data folder outlived every upgrade, rollback and reboot.
        assertThat(out(target.exec("cat", "/var/lib/op-dbus/runs")).lines().toList())
            .containsSubsequence("v1.0.0", "v1.1.0", "v1.2.0", "v1.1.0", "v1.2.0", "v1.1.0")
            .endsWith("v1.1.0");
      }
    }
    System.out.printf("booted target test: %.0f s%n", (System.nanoTime() - started) / 1e9);
  }

  /**
   * v1.0.0; v1.1.0 changing config.toml; v1.2.0 whose health check fails on a target (its golden's
   * checks pass: they run without OPDEPLOY_VERSION), reporting who ran it.
   */
  private void releaseAll(TwoHosts hosts, Path store) throws Exception {
    String to = "dir:" + store;
    ok(hosts.run("release", "v1.0.0", "--to", to, "--runner", "chroot"));
    Files.writeString(
        dir.resolve("golden/rootfs/etc/op-dbus/config.toml"),
        "# release v1.1.0\n",
        StandardOpenOption.APPEND);
    ok(hosts.run("release", "v1.1.0", "--to", to, "--runner", "chroot"));
    Path broken = dir.resolve("op-dbus-broken.sh");
    Files.writeString(
        broken,
        Files.readString(dir.resolve("golden/op-dbus-standin.sh"))
            .replace(
                "  query)\n",
                "  query)\n    if [ -n \"${OPDEPLOY_VERSION:-}\" ]; then\n"
                    + "      echo \"unhealthy as $(id -un) with $(grep CapEff /proc/self/status | tr -d '\\t:')\"; exit 1\n"
                    + "    fi\n"));
    Files.setAttribute(broken, "unix:mode", 0755);
    hosts.env.put("OPDBUS_BIN", broken.toString());
    ok(hosts.run("release", "v1.2.0", "--to", to, "--runner", "chroot"));
    hosts.env.remove("OPDBUS_BIN");
  }

  /**
   * From inside the running service's mount namespace: its deployment's state.json, its data
   * folder, the host's D-Bus and Open vSwitch sockets, nothing of opdeploy's; its user and
   * capabilities are the spec's.
   */
  private static void assertServiceSeesOnlyItsOwn(
      BootedTarget target, String version, boolean openvswitch) throws Exception {
    String pid = out(target.exec("systemctl", "show", "-p", "MainPID", "--value", UNIT));
    assertThat(pid).isNotEqualTo("0");
    String inside =
        out(
            inService(
                target,
                pid,
                "find",
                "/",
                "(",
                "-path",
                "/proc",
                "-o",
                "-path",
                "/sys",
                "-o",
                "-path",
                "/dev",
                ")",
                "-prune",
                "-o",
                "(",
                "-name",
                "state.json",
                "-o",
                "-name",
                "audit.log",
                "-o",
                "-name",
                "cache",
                "-o",
                "-name",
                ".lock",
                "-o",
                "-name",
                "@op-dbus-*",
                "-o",
                "-name",
                "opdeploy",
                ")",
                "-print"));
    assertThat(inside.lines().toList()).containsExactly("/etc/op-dbus/state.json");
    assertThat(out(inService(target, pid, "cat", "/etc/op-dbus/state.json")))
        .isEqualTo(out(target.exec("cat", "/opt/op-dbus/etc/op-dbus/state.json")));
    ProcessResult sockets =
        inService(
            target, pid, "ls", "/run/dbus/system_bus_socket", "/var/lib/op-dbus/standin-report");
    assertThat(sockets.exitCode()).as(sockets.stderrTail()).isZero();
    ProcessResult ovs = inService(target, pid, "ls", "/run/openvswitch/db.sock");
    assertThat(ovs.exitCode() == 0).as(ovs.stderrTail()).isEqualTo(openvswitch);
    String report = out(target.exec("cat", "/var/lib/op-dbus/standin-report"));
    assertThat(report)
        .contains(
            "version=" + version,
            "id=uid=990(opdbus) gid=990(opdbus)",
            "CapEff:\t0000000000003000",
            "CapBnd:\t0000000000003000",
            "CapAmb:\t0000000000003000");
  }

  /** Runs busybox {@code argv} in the mount namespace of the service's main process. */
  private static ProcessResult inService(BootedTarget target, String pid, String... argv)
      throws Exception {
    List<String> all = new ArrayList<>(List.of("nsenter", "-t", pid, "-m", "--", "/bin/busybox"));
    all.addAll(List.of(argv));
    return target.exec(all.toArray(String[]::new));
  }

  private static void assertBootedOn(BootedTarget target, String version) throws Exception {
    JsonNode status = JSON.readTree(ok(target.opdeploy("--json", "status")));
    assertThat(status.get("active").asText()).isEqualTo(version);
    assertThat(out(target.exec("systemctl", "is-active", "opdeploy-boot.service", UNIT)))
        .isEqualTo("active\nactive");
    assertThat(out(target.exec("findmnt", "-n", "-o", "TARGET", "/opt/op-dbus")))
        .isEqualTo("/opt/op-dbus");
    assertThat(out(target.exec("findmnt", "-n", "-o", "FSTYPE", "/usr/local/op-dbus")))
        .isEqualTo("overlay");
    assertThat(out(target.exec("cat", "/usr/local/op-dbus/etc/op-dbus/build-info")))
        .isEqualTo("version=" + version);
    assertThat(out(target.exec("systemctl", "is-enabled", UNIT))).isEqualTo("enabled");
    awaitReport(target, version);
  }

  /** The service writes its report a moment after it is active. */
  private static void awaitReport(BootedTarget target, String version) throws Exception {
    for (int i = 0; i < 40; i++) {
      if (target
              .exec("grep", "-qx", "version=" + version, "/var/lib/op-dbus/standin-report")
              .exitCode()
          == 0) {
        return;
      }
      Thread.sleep(250);
    }
    assertThat(out(target.exec("cat", "/var/lib/op-dbus/standin-report")))
        .contains("version=" + version);
  }

  /** Stop -> active of the last restart, from systemd's own monotonic timestamps. */
  private static long downtimeMicros(BootedTarget target) throws Exception {
    Map<String, Long> t = new java.util.HashMap<>();
    for (String line :
        out(target.exec(
                "systemctl",
                "show",
                "-p",
                "ActiveExitTimestampMonotonic",
                "-p",
                "ActiveEnterTimestampMonotonic",
                UNIT))
            .split("\n")) {
      String[] pair = line.split("=", 2);
      t.put(pair[0], Long.parseLong(pair[1].strip()));
    }
    return t.get("ActiveEnterTimestampMonotonic") - t.get("ActiveExitTimestampMonotonic");
  }

  /** Waits until the switch intent says an upgrade to {@code version} awaits its health check. */
  private static void awaitPending(Path switchFile, String version) throws Exception {
    for (int i = 0; i < 240; i++) {
      try {
        JsonNode intent = JSON.readTree(switchFile.toFile());
        if (intent.path("to").asText().equals(version) && intent.path("health_check").asBoolean()) {
          return;
        }
      } catch (IOException notYet) {
        // Not written yet, or replaced while we read it.
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "the upgrade to " + version + " never became pending (no switch intent)");
  }

  private static String ok(CliRun run) {
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    return run.stdout();
  }

  private static String ok(ProcessResult result) {
    assertThat(result.exitCode()).as(result.stdout() + result.stderrTail()).isZero();
    return result.stdout();
  }

  private static String out(ProcessResult result) {
    return result.stdout().strip();
  }
}
