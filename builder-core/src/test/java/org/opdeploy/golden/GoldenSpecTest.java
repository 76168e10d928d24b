package org.opdeploy.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.ExitCode;

class GoldenSpecTest {
  @TempDir Path dir;
  Path bin;

  @BeforeEach
  void files() throws IOException {
    Files.createDirectories(dir.resolve("steps"));
    Files.createDirectories(dir.resolve("rootfs/etc"));
    Files.writeString(dir.resolve("steps/10-packages.sh"), "#!/bin/sh\n");
    bin = Files.writeString(dir.resolve("op-dbus-build"), "binary");
  }

  private Path spec(String yaml) throws IOException {
    return Files.writeString(dir.resolve("golden.yaml"), yaml);
  }

  private static final String FULL =
      String.join(
          "\n",
          "name: op-dbus",
          "base:",
          "  debootstrap: {suite: bookworm, variant: minbase}",
          "rootfs: rootfs/",
          "payload:",
          "  - {from: \"${OPDBUS_BIN}\", to: /usr/local/bin/op-dbus, mode: \"0755\"}",
          "steps:",
          "  - steps/10-packages.sh",
          "checks:",
          "  files: [/usr/local/bin/op-dbus]",
          "  commands: [\"/usr/local/bin/op-dbus --version\"]",
          "service: op-dbus.service",
          "health:",
          "  command: \"/usr/local/bin/op-dbus query\"",
          "  timeout: 30s",
          "");

  @Test
  void loadsTheDesignExampleWithPathsRelativeToTheSpecFolder() throws Exception {
    spec(FULL);
    GoldenSpec spec = GoldenSpec.load(dir, Map.of("OPDBUS_BIN", bin.toString()));

    assertThat(spec.name()).isEqualTo("op-dbus");
    assertThat(spec.base()).isEqualTo(new BaseSpec.Debootstrap("bookworm", "minbase", null));
    assertThat(spec.rootfs()).isEqualTo(dir.resolve("rootfs"));
    assertThat(spec.payload())
        .containsExactly(new PayloadFile(bin, "/usr/local/bin/op-dbus", 0755));
    assertThat(spec.steps()).containsExactly(dir.resolve("steps/10-packages.sh"));
    assertThat(spec.stepName(spec.steps().get(0))).isEqualTo("steps/10-packages.sh");
    assertThat(spec.checks().files()).containsExactly("/usr/local/bin/op-dbus");
    assertThat(spec.checks().commands()).containsExactly("/usr/local/bin/op-dbus --version");
    assertThat(spec.service()).isEqualTo("op-dbus.service");
    assertThat(spec.health())
        .isEqualTo(new HealthCheck("/usr/local/bin/op-dbus query", Duration.ofSeconds(30)));
    assertThat(spec.stepTimeout()).isEqualTo(Duration.ofMinutes(60));
  }

  @Test
  void appliesDefaultsForWhatTheSpecLeavesOut() throws Exception {
    spec("base: {empty: true}\n");
    GoldenSpec spec = GoldenSpec.load(dir.resolve("golden.yaml"), Map.of());

    assertThat(spec.name()).isEqualTo("op-dbus");
    assertThat(spec.base()).isEqualTo(new BaseSpec.Empty());
    assertThat(spec.rootfs()).isNull();
    assertThat(spec.payload()).isEmpty();
    assertThat(spec.steps()).isEmpty();
    assertThat(spec.checks()).isEqualTo(GoldenChecks.none());
    assertThat(spec.service()).isNull();
    assertThat(spec.health()).isNull();
    assertThat(spec.stepTimeout()).isEqualTo(GoldenSpec.DEFAULT_STEP_TIMEOUT);
  }

  @Test
  void readsEveryKindOfBase() throws Exception {
    Files.createDirectories(dir.resolve("tree"));
    Files.writeString(dir.resolve("base.tar.zst"), "x");

    spec("base: {directory: tree}\n");
    assertThat(GoldenSpec.load(dir, Map.of()).base())
        .isEqualTo(new BaseSpec.Directory(dir.resolve("tree")));
    spec("base: {tarball: base.tar.zst}\n");
    assertThat(GoldenSpec.load(dir, Map.of()).base())
        .isEqualTo(new BaseSpec.Tarball(dir.resolve("base.tar.zst")));
    spec("base:\n  debootstrap: {suite: trixie, mirror: 'http://mirror.example/debian'}\n");
    assertThat(GoldenSpec.load(dir, Map.of()).base())
        .isEqualTo(new BaseSpec.Debootstrap("trixie", "minbase", "http://mirror.example/debian"));
    spec("base: {empty: true}\n");
    assertThat(GoldenSpec.load(dir, Map.of()).base()).isEqualTo(new BaseSpec.Empty());
  }

  @Test
  void refusesTwoBasesAtOnce() throws Exception {
    spec("base: {empty: true, directory: rootfs}\n");
    assertBad("base: must have exactly one of debootstrap, directory, tarball, empty");
  }

  @Test
  void unknownKeyIsBadInputNamingTheKeyAndTheFile() throws Exception {
    spec("base: {empty: true}\nstep: [steps/10-packages.sh]\n");
    assertBad("unknown key 'step'", dir.resolve("golden.yaml").toString());

    spec("base:\n  debootstrap: {suite: bookworm, varient: minbase}\n");
    assertBad("unknown key 'base.debootstrap.varient'");

    spec("base: {empty: true}\npayload:\n  - {from: op-dbus-build, to: /x, owner: root}\n");
    assertBad("unknown key 'payload[0].owner'");
  }

  @Test
  void readsTheServiceAccountWithCapabilityNamesNormalised() throws Exception {
    spec(
        "base: {empty: true}\nservice-account: {user: opdbus, capabilities: [net_admin, CAP_NET_RAW]}\n");
    GoldenSpec spec = GoldenSpec.load(dir, Map.of());
    assertThat(spec.serviceAccount().user()).isEqualTo("opdbus");
    assertThat(spec.serviceAccount().capabilities())
        .containsExactly("CAP_NET_ADMIN", "CAP_NET_RAW");

    spec("base: {empty: true}\nservice-account: {dynamic-user: true}\n");
    assertThat(GoldenSpec.load(dir, Map.of()).serviceAccount().dynamicUser()).isTrue();
    assertThat(GoldenSpec.load(dir, Map.of()).serviceAccount().capabilities()).isEmpty();
  }

  @Test
  void aBadServiceAccountIsBadInputNamingTheValue() throws Exception {
    spec(
        "base: {empty: true}\nservice-account: {user: opdbus, capabilities: [CAP_NET_ADMIN, CAP_NET_RAWW]}\n");
    assertBad("service-account: 'CAP_NET_RAWW' is not a Linux capability");

    spec("base: {empty: true}\nservice-account: {user: 'op dbus'}\n");
    assertBad("'op dbus' is not a valid user name");

    spec("base: {empty: true}\nservice-account: {user: opdbus, dynamic-user: true}\n");
    assertBad("name exactly one of 'user' and 'dynamic-user: true'");

    spec("base: {empty: true}\nservice-account: {user: opdbus, caps: [CAP_NET_RAW]}\n");
    assertBad("unknown key 'service-account.caps'");
  }

  @Test
  void missingSpecIsBadInput() {
    assertThatThrownBy(() -> GoldenSpec.load(dir.resolve("nowhere"), Map.of()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining(dir.resolve("nowhere/golden.yaml") + " not found");
  }

  @Test
  void stepThatDoesNotExistIsBadInput() throws Exception {
    spec("base: {empty: true}\nsteps: [steps/10-packages.sh, steps/20-missing.sh]\n");
    assertBad("steps[1]: file " + dir.resolve("steps/20-missing.sh") + " does not exist");
  }

  @Test
  void payloadExpandsVariablesFromTheEnvironment() throws Exception {
    spec(
        "base: {empty: true}\npayload:\n  - {from: \"${BUILD}/op-dbus-build\", to: \"/opt/${APP}/bin\"}\n");
    GoldenSpec spec = GoldenSpec.load(dir, Map.of("BUILD", dir.toString(), "APP", "op-dbus"));

    assertThat(spec.payload()).containsExactly(new PayloadFile(bin, "/opt/op-dbus/bin", -1));
  }

  @Test
  void payloadVariableMayCarryAShellStyleDefault() throws Exception {
    spec(
        "base: {empty: true}\npayload:\n  - {from: \"${OPDBUS_BIN:-op-dbus-build}\", to: /usr/local/bin/op-dbus}\n");
    assertThat(GoldenSpec.load(dir, Map.of()).payload().get(0).from()).isEqualTo(bin);
  }

  @Test
  void unsetVariableIsBadInputNamingIt() throws Exception {
    spec(FULL);
    assertBad("environment variable OPDBUS_BIN is not set", "payload[0].from");
  }

  @Test
  void payloadSourceThatDoesNotExistIsBadInput() throws Exception {
    spec(FULL);
    assertThatThrownBy(() -> GoldenSpec.load(dir, Map.of("OPDBUS_BIN", "/nonexistent/op-dbus")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("payload[0].from: file /nonexistent/op-dbus does not exist");
  }

  @Test
  void payloadTargetMustBeAbsoluteAndModeOctal() throws Exception {
    spec("base: {empty: true}\npayload:\n  - {from: op-dbus-build, to: usr/bin/x}\n");
    assertBad("must be an absolute path");
    spec("base: {empty: true}\npayload:\n  - {from: op-dbus-build, to: /x, mode: \"rwx\"}\n");
    assertBad("is not an octal mode");
    spec("base: {empty: true}\npayload:\n  - {from: op-dbus-build, to: /x, mode: 0750}\n");
    assertBad("payload[0].mode: write the mode quoted");
    spec("base: {empty: true}\npayload:\n  - {from: op-dbus-build, to: /x, mode: \"0750\"}\n");
    assertThat(GoldenSpec.load(dir, Map.of()).payload().get(0).mode()).isEqualTo(0750);
  }

  @Test
  void stepTimeoutAndHealthTimeoutAreDurations() throws Exception {
    spec("base: {empty: true}\nstep-timeout: 1h30m\nhealth: {command: 'true'}\n");
    GoldenSpec spec = GoldenSpec.load(dir, Map.of());
    assertThat(spec.stepTimeout()).isEqualTo(Duration.ofMinutes(90));
    assertThat(spec.health().timeout()).isEqualTo(HealthCheck.DEFAULT_TIMEOUT);

    spec("base: {empty: true}\nstep-timeout: soon\n");
    assertBad("step-timeout: 'soon' is not a duration");
  }

  @Test
  void invalidYamlAndInvalidNameAreBadInput() throws Exception {
    spec("base: {empty: true\n");
    assertBad("not valid YAML");
    spec("name: Op/Dbus\nbase: {empty: true}\n");
    assertBad("name: invalid name 'Op/Dbus'");
    spec("name: op-dbus\n");
    assertBad("has no 'base'");
    spec("base: {empty: true}\nbase: {empty: true}\n");
    assertBad("golden.yaml:2:", "not valid YAML", "Duplicate field 'base'");
  }

  @Test
  void everyComplaintNamesTheFileLineAndColumnOfWhatToFix() throws Exception {
    String file = dir.resolve("golden.yaml").toString();
    spec("base: {empty: true}\nhelth:\n  command: 'true'\n");
    assertBad(file + ":2:1: unknown key 'helth'");
    spec("base: {empty: true}\nhealth:\n  command: 'true'\n  timout: 5s\n");
    assertBad(file + ":4:3: unknown key 'health.timout'");
    spec("base: {empty: true}\nservice: [a, b]\n");
    assertBad(file + ":2:1: service: must be a non-empty string");
    spec("base: {empty: true}\nsteps:\n  - steps/10-packages.sh\n  - steps/missing.sh\n");
    assertBad(file + ":4:5: steps[1]: file ");
    spec("base: {empty: true}\nhealth:\n  command: 'true'\n  timeout: soon\n");
    assertBad(file + ":4:3: health.timeout: 'soon' is not a duration");
    spec("base: {empty: true}\nservice: a: b\n");
    assertBad(file + ":2:11: not valid YAML: mapping values are not allowed here");
  }

  @Test
  void theRepositoryGoldenAndTheStandinBothLoad() throws Exception {
    Path repoGolden = Path.of("..", "golden").toAbsolutePath().normalize();
    GoldenSpec real = GoldenSpec.load(repoGolden, Map.of("OPDBUS_BIN", bin.toString()));
    assertThat(real.base()).isEqualTo(new BaseSpec.Debootstrap("bookworm", "minbase", null));
    assertThat(real.payload())
        .containsExactly(new PayloadFile(bin, "/usr/local/bin/op-dbus", 0755));
    assertThat(real.checks().commands()).contains("/usr/local/bin/op-dbus --version");
    assertThat(real.health())
        .isEqualTo(new HealthCheck("/usr/local/bin/op-dbus query", Duration.ofSeconds(30)));
    assertThat(real.service()).isEqualTo("op-dbus.service");
    assertThat(real.steps()).isNotEmpty();
  }

  private void assertBad(String... fragments) {
    assertThatThrownBy(() -> GoldenSpec.load(dir, Map.of()))
        .isInstanceOfSatisfying(
            BadInputException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
              assertThat(e.getMessage()).contains(List.of(fragments)).doesNotContain("\n");
            });
  }
}
