package org.opdeploy.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.container.ContainerFactory;
import org.opdeploy.process.ProcessResult;
import org.opdeploy.process.ProcessSpec;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.snapshot.SnapshotGoldenStep;
import org.opdeploy.stream.ReleaseContext;
import org.opdeploy.stream.SendSettings;
import org.opdeploy.stream.SendStreamStep;
import org.opdeploy.version.Version;

/**
 * Issue 9.7 on the build host: another local user (nobody) reads neither the golden nor a snapshot
 * nor the pool's state, but does read the release folder a send wrote outside the pool; the
 * golden's own root keeps its mode, which becomes the deployed tree's {@code /}.
 */
class PoolPermissionsIT {
  @TempDir Path tmp;
  GoldenFixture fx;
  final List<String> log = new ArrayList<>();
  final ProgressListener listener =
      new ProgressListener() {
        @Override
        public synchronized void info(String line) {
          log.add(line);
        }
      };

  @BeforeEach
  void setUp() throws Exception {
    fx = new GoldenFixture(tmp);
    // JUnit makes its folder 0700; let nobody traverse it, as /srv would be.
    Files.setAttribute(tmp, "unix:mode", 0711);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private ProcessResult asNobody(String command) throws Exception {
    return fx.runner.runAllowingFailure(
        ProcessSpec.of(
            "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sh", "-c", command));
  }

  @Test
  void otherUsersReadNeitherTheGoldenNorSnapshotsButReadTheReleaseFolder() throws Exception {
    Files.setAttribute(fx.pool.pool(), "unix:mode", 0755); // as mkfs and mkdir leave it
    new RefreshGoldenStep(
            fx.standin(),
            fx.pool,
            fx.btrfs,
            new ContainerFactory(fx.runner, listener).create("chroot"),
            new RefreshOptions(null, Version.parse("v1.0.0")),
            listener,
            fx.runner)
        .run();
    new SnapshotGoldenStep(fx.pool, fx.btrfs, Version.parse("v1.0.0")).run();
    Path out = tmp.resolve("release");
    new SendStreamStep(
            fx.pool,
            fx.btrfs,
            SendSettings.of(Version.parse("v1.0.0"), out),
            ReleaseContext.NONE,
            listener)
        .run();

    assertThat(Files.getAttribute(fx.pool.pool(), "unix:mode")).isEqualTo(040700);
    assertThat(log)
        .contains(
            "restricted "
                + fx.pool.pool()
                + " to its owner (0700): the golden and snapshots are not for other local users");
    assertThat(Files.getAttribute(fx.golden(), "unix:mode"))
        .as("the deployed tree's / is untouched")
        .isEqualTo(040755);
    for (String secret :
        List.of(
            fx.golden() + "/etc/op-dbus/build-info",
            fx.pool.snapshot(Version.parse("v1.0.0")) + "/etc/op-dbus/build-info")) {
      ProcessResult denied = asNobody("cat '" + secret + "'");
      assertThat(denied.exitCode()).as(secret).isNotZero();
      assertThat(denied.stderrTail()).contains("Permission denied");
    }
    assertThat(asNobody("ls '" + fx.pool.pool() + "'").exitCode()).isNotZero();
    ProcessResult readable =
        asNobody("cat '" + out.resolve("SHA256SUMS") + "' && ls '" + out + "'");
    assertThat(readable.exitCode()).as(readable.stderrTail()).isZero();
    assertThat(readable.stdout()).contains("op-dbus-v1.0.0.manifest.json");
  }
}
