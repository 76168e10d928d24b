package org.opdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opdeploy.btrfs.SendProtocol;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.ExitCode;
import org.opdeploy.http.RetryPolicy;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.seal.SignatureCheck;
import org.opdeploy.testing.BullseyeBtrfs;
import org.opdeploy.version.Version;

/**
 * Issue 9.3 on the target: a Debian 11 target (btrfs-progs 5.10 as its {@code btrfs}) deploys a
 * protocol-1 release, and refuses a protocol-2 one with exit 2 and one line before downloading any
 * stream, changing nothing but the small signed index in its cache.
 */
class SendProtocolIT {
  @TempDir Path temp;
  TargetFixture fx;
  Path receiverLog;
  RecordingProcessRunner debian11;

  @BeforeEach
  void setUp() throws Exception {
    fx = new TargetFixture(temp, 512);
    Path bullseye = BullseyeBtrfs.path();
    Path bin = Files.createDirectories(temp.resolve("debian11-bin"));
    receiverLog = temp.resolve("btrfs.log");
    // Every btrfs the target runs is bullseye's; the log proves which one did the receive.
    Files.writeString(
        bin.resolve("btrfs"),
        "#!/bin/sh\necho \"$*\" >> " + receiverLog + "\nexec " + bullseye + " \"$@\"\n");
    Files.setAttribute(bin.resolve("btrfs"), "unix:mode", 0755);
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("PATH", bin + ":" + env.getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
    debian11 = new RecordingProcessRunner(env);
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  private TargetAgent debian11Agent() {
    return new TargetAgent(
            fx.settings,
            debian11,
            fx.services,
            SignatureCheck.trusting(fx.key.trustedKeys()),
            ProgressListener.NONE,
            Clock.systemUTC(),
            Duration.ZERO)
        .withRetry(RetryPolicy.of(3, Duration.ofMillis(10)));
  }

  @Test
  void aDebian11TargetDeploysProtocolOneReleasesFullAndIncremental() throws Exception {
    fx.publish("v1.0.0", null);
    fx.publish("v1.1.0", "v1.0.0");

    debian11Agent().deploy(Version.parse("v1.0.0"), fx.faults, false);
    var second = debian11Agent().deploy(Version.parse("v1.1.0"), fx.faults, false);

    assertThat(second.incremental()).isTrue();
    assertThat(Files.readString(fx.deployment("v1.1.0").resolve("etc/op-dbus/version")))
        .isEqualTo("v1.1.0\n");
    assertThat(Files.readString(receiverLog)).containsPattern("receive .*deploy");
  }

  @ParameterizedTest
  @ValueSource(strings = {"fetch", "deploy", "upgrade"})
  void aDebian11TargetRefusesAProtocolTwoReleaseBeforeDownloadingAnyStream(String command)
      throws Exception {
    fx.releases.useProtocol(new SendProtocol(2, true));
    fx.publish("v2.0.0", null);
    Version v = Version.parse("v2.0.0");
    TargetAgent agent = debian11Agent();

    assertThatThrownBy(
            () -> {
              switch (command) {
                case "fetch" -> agent.fetch(v, fx.faults, false);
                case "deploy" -> agent.deploy(v, fx.faults, false);
                default -> agent.upgrade(v, fx.faults, false);
              }
            })
        .isInstanceOfSatisfying(
            BadInputException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
        .hasMessage(
            "release v2.0.0 was sent with btrfs send protocol 2 but this target's btrfs-progs v5.10.1"
                + " receives only protocol 1: install btrfs-progs 6.0 or later, or publish the release with"
                + " send-protocol 1");

    assertThat(fx.faults.requests())
        .extracting(FaultySource.Request::asset)
        .as("only the signed index was downloaded")
        .allMatch(name -> name.startsWith("SHA256SUMS") || name.endsWith(".manifest.json"));
    assertThat(debian11.commands()).noneMatch(c -> c.contains(" receive "));
    assertThat(fx.deployment("v2.0.0")).doesNotExist();
    assertThat(fx.layout().stateFile()).doesNotExist();
    assertThat(fx.services.calls()).isEmpty();
  }

  @Test
  void targetPrepareReportsWhichProtocolsTheTargetReceives() throws Exception {
    var old =
        debian11Agent().prepare(1).checks().stream()
            .filter(c -> c.name().equals("btrfs-progs"))
            .findFirst()
            .orElseThrow();
    assertThat(old.ok()).isTrue();
    assertThat(old.detail())
        .isEqualTo(
            "btrfs-progs v5.10.1 (needs v5.10; receives send protocol 1 only"
                + " (2 needs btrfs-progs 6.0))");
    var current =
        fx.agent().prepare(1).checks().stream()
            .filter(c -> c.name().equals("btrfs-progs"))
            .findFirst()
            .orElseThrow();
    assertThat(current.detail()).contains("receives send protocols 1 and 2");
    var needsTwo =
        debian11Agent().prepare(2).checks().stream()
            .filter(c -> c.name().equals("btrfs-progs"))
            .findFirst()
            .orElseThrow();
    assertThat(needsTwo.ok()).isFalse();
  }

  @Test
  void aCurrentTargetReceivesTheSameProtocolTwoRelease() throws Exception {
    fx.releases.useProtocol(new SendProtocol(2, true));
    fx.publish("v2.0.0", null);

    fx.agent().deploy(Version.parse("v2.0.0"), fx.faults, false);

    assertThat(Files.readString(fx.deployment("v2.0.0").resolve("etc/op-dbus/version")))
        .isEqualTo("v2.0.0\n");
  }
}
