package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a refused run says: one line naming what to change (the flag and the setting, the file, line
 * and column of a config value), and the real name of a subvolume.
 */
class MessagesCliTest {
  @TempDir Path dir;

  private static String error(CliRun run) {
    List<String> lines = run.stderr().strip().lines().toList();
    assertThat(lines).as(run.stderr()).hasSize(1);
    return lines.get(0);
  }

  @Test
  void aMissingOrNonBtrfsPoolNamesPoolFlagAndSetting() {
    CliRun missing = CliRun.of("--pool", dir.resolve("nope").toString(), "snapshot", "v1.0.0");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(error(missing))
        .contains("pool " + dir.resolve("nope") + " does not exist")
        .contains("--pool DIR (setting 'pool')");

    CliRun ext4 = CliRun.of("--pool", dir.toString(), "list");
    assertThat(ext4.exitCode()).isEqualTo(2);
    assertThat(error(ext4))
        .contains("pool " + dir + " is on ")
        .contains("not btrfs")
        .contains("--pool DIR (setting 'pool')");
  }

  @Test
  void aRootOffBtrfsNamesRootFlagAndSettingAlsoWhenItIsStillToBeCreated() {
    Path root = dir.resolve("later/root");
    CliRun run = CliRun.of("--root", root.toString(), "deploy", "v1.0.0", "--from", "dir:" + dir);
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(error(run))
        .startsWith("opdeploy: error: root " + root + " (to be created in " + dir + ") is on ")
        .contains("--root DIR (setting 'root')");
  }

  @Test
  void aMissingGoldenSpecNamesGoldenFlagAndSetting() {
    CliRun run = CliRun.of("--golden", dir.toString(), "golden", "validate");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(error(run))
        .contains("golden spec " + dir.resolve("golden.yaml") + " not found")
        .contains("--golden DIR (setting 'golden')");
  }

  @Test
  void anUnknownSourceNamesFromOrTheSourceSetting() {
    CliRun from =
        CliRun.of("--root", dir.toString(), "check-new", "--from", "ftp://example.invalid/x");
    assertThat(from.exitCode()).isEqualTo(2);
    assertThat(error(from)).startsWith("opdeploy: error: --from: unknown release location");
    CliRun setting =
        CliRun.of("--root", dir.toString(), "--source", "ftp://example.invalid/x", "check-new");
    assertThat(error(setting))
        .startsWith("opdeploy: error: source (--source, setting 'source'): unknown release");
  }

  @Test
  void aMissingTrustedKeysFileNamesItsFlag() {
    CliRun run =
        CliRun.of("--trusted-keys", dir.resolve("keys.asc").toString(), "verify", dir.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(error(run)).contains("--trusted-keys FILE (setting 'trusted-keys')");
  }

  @Test
  void aRefusedSettingSaysWhetherTheFlagOrWhichLineOfTheConfigFileGaveIt() throws Exception {
    CliRun flag = CliRun.of("--root", dir.toString(), "--track", "beta", "status");
    assertThat(flag.exitCode()).isEqualTo(2);
    assertThat(error(flag))
        .isEqualTo(
            "opdeploy: error: --track: invalid track 'beta': use stable, prerelease or nightly");

    Path config = Files.writeString(dir.resolve("opdeploy.yaml"), "root: /x\ntrack: beta\n");
    CliRun file = CliRun.of("--config", config.toString(), "status");
    assertThat(file.exitCode()).isEqualTo(2);
    assertThat(error(file))
        .startsWith("opdeploy: error: config file " + config + ":2:1: track: invalid track 'beta'");

    Files.writeString(config, "max-asset-bytes: 12\n");
    assertThat(error(CliRun.of("--config", config.toString(), "status")))
        .startsWith(
            "opdeploy: error: config file "
                + config
                + ":1:1: max-asset-bytes: must be between 1 MiB and 2 GiB");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "root: /x\nhelth: 30s\n|:2:1: unknown setting 'helth'",
        "root: /x\npool:\n  - /a\n|:2:1: 'pool' must be a single value, not a list",
        "root: /x\n  pool: : /y\n|:2:7: not valid YAML: mapping values are not allowed here",
        "root: /x\nroot: /y\n|:2:",
      })
  void aConfigFileErrorNamesItsLineAndColumn(String yamlAndExpected) throws Exception {
    String[] parts = yamlAndExpected.split("\\|");
    Path config = Files.writeString(dir.resolve("opdeploy.yaml"), parts[0]);
    CliRun run = CliRun.of("--config", config.toString(), "status");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(error(run)).startsWith("opdeploy: error: config file " + config + parts[1]);
  }

  @Test
  void aVersionNotDeployedIsNamedByItsRealSubvolumeName() throws Exception {
    Path root = dir.resolve("root");
    Files.createDirectories(root.resolve("deploy/@op-dbus-v0.9.0"));
    CliRun run = CliRun.of("--root", root.toString(), "--service", "none", "activate", "v1.0.0");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(error(run))
        .contains(
            "v1.0.0 is not deployed on this target (no "
                + root.resolve("deploy/@op-dbus-v1.0.0")
                + ")")
        .doesNotContain("NAME");

    CliRun empty =
        CliRun.of(
            "--root", dir.resolve("fresh").toString(), "--service", "none", "rollback", "v1.0.0");
    assertThat(error(empty))
        .contains("nothing in " + dir.resolve("fresh/deploy"))
        .doesNotContain("NAME");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "list",
        "prune --keep 2",
        "prune --keep 2 --dry-run",
        "golden validate",
        "snapshot v1.0.0",
        "send v1.0.0 --out OUT --dry-run",
        "activate v1.0.0",
        "target prune --keep 1",
        "status",
        "audit verify",
        "check-new --from dir:OUT",
        "demo"
      })
  void withoutRootAPoolOrRootReaderSaysToUseSudo(String words) throws Exception {
    Path golden = Files.createDirectories(dir.resolve("golden"));
    Files.writeString(golden.resolve("golden.yaml"), "base: {empty: true}\n");
    Path root = Files.createDirectories(dir.resolve("root"));
    // The target root as root keeps it: 0700 and not this user's to read.
    Files.setPosixFilePermissions(root, java.util.Set.of());
    String[] args =
        ("--pool " + dir + " --golden " + golden + " --root " + root + " " + words)
            .replace("OUT", dir.resolve("out").toString())
            .split(" ");
    String user = System.getProperty("user.name");
    System.setProperty("user.name", "nobody");
    CliRun run;
    try {
      run = CliRun.of(args);
    } finally {
      System.setProperty("user.name", user);
      Files.setPosixFilePermissions(
          root, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
    String command = words.replaceAll(" (--|v1|OUT|dir:).*", "");
    assertThat(error(run))
        .startsWith("opdeploy: error: opdeploy " + command + " needs root")
        .contains(": run it with sudo");
  }
}
