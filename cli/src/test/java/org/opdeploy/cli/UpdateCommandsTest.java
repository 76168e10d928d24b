package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How check-new, list --source and upgrade latest read their command line and settings. */
class UpdateCommandsTest {
  @TempDir Path dir;

  @Test
  void anUnknownTrackIsBadInputBeforeAnythingIsRead() {
    CliRun run = CliRun.of("--track", "beta", "check-new", "--from", "dir:" + dir);
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("invalid track 'beta': use stable, prerelease or nightly");
  }

  @Test
  void theTrackComesFromTheConfigFileToo() throws Exception {
    Path config = Files.writeString(dir.resolve("opdeploy.yaml"), "track: sometimes\n");
    CliRun run = CliRun.of("--config", config.toString(), "check-new", "--from", "dir:" + dir);
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("invalid track 'sometimes'");
  }

  @Test
  void sourceWithAValueStillNamesTheSourceOfOtherCommands() {
    CliRun run =
        CliRun.of("--dry-run", "--source", "dir:" + dir.resolve("store"), "deploy", "v1.0.0");
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("would fetch v1.0.0 from dir:" + dir.resolve("store"));
  }

  @Test
  void sourceWithoutAValueMeansTheConfiguredOne() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("opdeploy.yaml"), "source: dir:" + dir.resolve("configured") + "\n");
    CliRun run =
        CliRun.of("--config", config.toString(), "--dry-run", "deploy", "v1.0.0", "--source");
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("from dir:" + dir.resolve("configured"));
  }
}
