package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ca-file} setting reaches an {@code https://} source from the flag and from the config
 * file.
 */
class CaFileSettingTest {

  @Test
  void caFileFlagIsReadForAnHttpsSource(@TempDir Path dir) throws Exception {
    Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");

    CliRun run =
        CliRun.of(
            "--root",
            dir.resolve("root").toString(),
            "fetch",
            "v1.0.0",
            "--from",
            "https://localhost:9/op-dbus",
            "--ca-file",
            notPem.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr().strip().lines())
        .singleElement()
        .asString()
        .contains("ca-file " + notPem);
    assertThat(dir.resolve("root")).doesNotExist();
  }

  @Test
  void caFileConfigKeyIsAccepted(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("no-such-ca.pem");
    Path config = Files.writeString(dir.resolve("opdeploy.yaml"), "ca-file: " + missing + "\n");

    CliRun run =
        CliRun.of(
            "--config",
            config.toString(),
            "--root",
            dir.resolve("root").toString(),
            "fetch",
            "v1.0.0",
            "--from",
            "https://localhost:9/op-dbus");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr())
        .contains("cannot read ca-file " + missing)
        .doesNotContain("unknown setting");
  }
}
