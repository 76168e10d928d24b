package org.opdeploy.deploy.activate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.progress.ProgressListener;

/**
 * The three-way merge of machine-local overlay changes on upgrade, on real folders with a real
 * overlayfs whiteout (a 0:0 device node, so it runs as root with the integration tests).
 */
class MergeOverlayStepIT {
  @TempDir Path dir;

  private final List<String> warnings = new ArrayList<>();
  private final ProgressListener progress =
      new ProgressListener() {
        @Override
        public void warn(String message) {
          warnings.add(message);
        }
      };

  private Path write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  @Test
  void localChangesAreCarriedAndTheOnesTheReleaseChangedTooAreReportedWithTheMachinesCopyKept()
      throws Exception {
    Path oldDeployment = dir.resolve("deploy/@op-dbus-v1.0.0");
    Path newDeployment = dir.resolve("deploy/@op-dbus-v1.1.0");
    for (Path d : List.of(oldDeployment, newDeployment)) {
      write(d.resolve("etc/op-dbus/keep.conf"), "same in both\n");
      write(d.resolve("etc/op-dbus/obsolete.conf"), "same in both\n");
    }
    write(oldDeployment.resolve("etc/op-dbus/config.toml"), "release 1\n");
    write(newDeployment.resolve("etc/op-dbus/config.toml"), "release 2\n");
    Path oldUpper = dir.resolve("overlays/v1.0.0/upper");
    write(oldUpper.resolve("etc/op-dbus/local.conf"), "peer = 10.0.0.7\n");
    write(oldUpper.resolve("etc/op-dbus/keep.conf"), "tuned here\n");
    write(oldUpper.resolve("etc/op-dbus/config.toml"), "release 1, tuned here\n");
    new ProcessRunner()
        .run("mknod", oldUpper.resolve("etc/op-dbus/obsolete.conf").toString(), "c", "0", "0");
    Path newUpper = dir.resolve("overlays/v1.1.0/upper");

    List<String> conflicts =
        new MergeOverlayStep(new DeploymentMounts(new ProcessRunner()), progress)
            .run(oldDeployment, oldUpper, newDeployment, newUpper, Path.of("/opt/op-dbus"));

    assertThat(conflicts).containsExactly("/etc/op-dbus/config.toml");
    assertThat(warnings)
        .singleElement()
        .asString()
        .contains("machine-local change to /etc/op-dbus/config.toml kept")
        .contains("/opt/op-dbus/etc/op-dbus/config.toml");
    assertThat(newUpper.resolve("etc/op-dbus/local.conf")).hasContent("peer = 10.0.0.7");
    assertThat(newUpper.resolve("etc/op-dbus/keep.conf")).hasContent("tuned here");
    assertThat(newUpper.resolve("etc/op-dbus/config.toml")).hasContent("release 1, tuned here");
    Path whiteout = newUpper.resolve("etc/op-dbus/obsolete.conf");
    assertThat(Files.getAttribute(whiteout, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0L);
    assertThat(
            Files.isRegularFile(
                newUpper.resolve("etc/op-dbus/obsolete.conf"), LinkOption.NOFOLLOW_LINKS))
        .isFalse();
    // The old version's layer is left as it was, for a rollback.
    assertThat(oldUpper.resolve("etc/op-dbus/config.toml")).hasContent("release 1, tuned here");
  }

  @Test
  void anEmptyOrMissingOldLayerCarriesNothing() throws Exception {
    Path a = Files.createDirectories(dir.resolve("a"));
    Path b = Files.createDirectories(dir.resolve("b"));
    MergeOverlayStep merge =
        new MergeOverlayStep(new DeploymentMounts(new ProcessRunner()), progress);
    assertThat(merge.run(a, dir.resolve("missing"), b, dir.resolve("new"), Path.of("/opt")))
        .isEmpty();
    assertThat(
            merge.run(
                a,
                Files.createDirectories(dir.resolve("empty")),
                b,
                dir.resolve("new"),
                Path.of("/opt")))
        .isEmpty();
    assertThat(dir.resolve("new")).doesNotExist();
  }
}
