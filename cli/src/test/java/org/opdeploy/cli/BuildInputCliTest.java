package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad build input from issues 9.3 and 10.14, as the command line answers it: exit 2, one line,
 * nothing created.
 */
class BuildInputCliTest {
  @TempDir Path dir;

  private void assertRefused(CliRun run, String message) {
    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
    assertThat(run.stderr().strip().lines())
        .hasSize(1)
        .first()
        .asString()
        .startsWith("opdeploy: error: " + message);
  }

  @Test
  void compressedDataWithoutProtocolTwoIsRefused() {
    Path out = dir.resolve("out");
    assertRefused(
        CliRun.of(
            "--pool",
            dir.resolve("pool").toString(),
            "send",
            "v1.0.0",
            "--compressed-data",
            "--out",
            out.toString()),
        "--compressed-data needs send-protocol 2");
    assertThat(out).doesNotExist();
    assertThat(dir.resolve("pool")).doesNotExist();
  }

  @ParameterizedTest
  @ValueSource(strings = {"3", "0", "two"})
  void anUnknownSendProtocolIsRefused(String protocol) {
    Path out = dir.resolve("out");
    assertRefused(
        CliRun.of(
            "--pool",
            dir.resolve("pool").toString(),
            "send",
            "v1.0.0",
            "--send-protocol",
            protocol,
            "--out",
            out.toString()),
        "--send-protocol: invalid send protocol '" + protocol + "'");
    assertThat(out).doesNotExist();
  }

  @Test
  void theConfigFileChoosesTheProtocolAndIsCheckedTheSameWay() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("opdeploy.yaml"), "send-protocol: 1\ncompressed-data: true\n");
    assertRefused(
        CliRun.of(
            "--config",
            config.toString(),
            "--pool",
            dir.toString(),
            "send",
            "v1.0.0",
            "--out",
            dir.resolve("out").toString()),
        "--compressed-data needs send-protocol 2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../../x.sh", "/etc/x.sh"})
  void aGoldenStepOutsideTheSpecFolderIsRefusedByValidateAndBySend(String step) throws Exception {
    Path golden = Files.createDirectories(dir.resolve("spec/golden"));
    Files.writeString(
        golden.resolve("golden.yaml"),
        "name: op-dbus\nbase: {empty: true}\nsteps:\n  - " + step + "\n");
    String message =
        "golden spec " + golden.resolve("golden.yaml") + ":4:5: steps[0]: step " + step;

    assertRefused(
        CliRun.of(
            "--golden",
            golden.toString(),
            "--pool",
            dir.resolve("pool").toString(),
            "golden",
            "validate"),
        message);
    assertRefused(
        CliRun.of(
            "--golden",
            golden.toString(),
            "--pool",
            dir.resolve("pool").toString(),
            "send",
            "v1.0.0",
            "--out",
            dir.resolve("out").toString()),
        message);
    assertThat(dir.resolve("pool")).doesNotExist();
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aMisspelledKeyIsRefusedByEveryCommandThatReadsTheSpecAsGoldenValidateRefusesIt()
      throws Exception {
    Path golden = Files.createDirectories(dir.resolve("spec/golden"));
    Files.writeString(
        golden.resolve("golden.yaml"),
        "name: op-dbus\nbase: {empty: true}\nhelth:\n  command: /bin/true\n");
    String message = "golden spec " + golden.resolve("golden.yaml") + ":3:1: unknown key 'helth'";
    String pool = dir.resolve("pool").toString();
    String out = dir.resolve("out").toString();

    assertRefused(
        CliRun.of("--golden", golden.toString(), "--pool", pool, "golden", "validate"), message);
    assertRefused(
        CliRun.of("--golden", golden.toString(), "--pool", pool, "send", "v1.0.0", "--out", out),
        message);
    assertRefused(
        CliRun.of(
            "--golden",
            golden.toString(),
            "--pool",
            pool,
            "release",
            "v1.0.0",
            "--to",
            "dir:" + out,
            "--allow-unsigned"),
        message);
    assertRefused(CliRun.of("--golden", golden.toString(), "--pool", pool, "list"), message);
    assertRefused(
        CliRun.of("--golden", golden.toString(), "--pool", pool, "prune", "--keep", "2"), message);
    assertThat(dir.resolve("pool")).doesNotExist();
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aPayloadVariableOnlyARefreshNeedsMayBeUnsetForCommandsThatShip() throws Exception {
    Path golden = Files.createDirectories(dir.resolve("spec/golden"));
    Files.writeString(
        golden.resolve("golden.yaml"),
        "name: op-dbus\nbase: {empty: true}\n"
            + "payload:\n  - {from: \"${OPDEPLOY_TEST_UNSET_BIN}\", to: /usr/bin/x}\n");
    CliRun list = CliRun.of("--golden", golden.toString(), "--pool", dir.toString(), "list");
    assertThat(list.stderr()).doesNotContain("OPDEPLOY_TEST_UNSET_BIN").contains("not btrfs");
  }
}
