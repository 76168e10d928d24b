package org.opdeploy.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opdeploy.container.Container;
import org.opdeploy.container.ContainerFactory;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

class RefreshGoldenStepIT {
  @TempDir Path tmp;
  GoldenFixture fx;
  final List<String> log = new ArrayList<>();
  final ProgressListener listener =
      new ProgressListener() {
        @Override
        public synchronized void info(String line) {
          log.add(line);
        }

        @Override
        public synchronized void warn(String line) {
          log.add(line);
        }
      };

  @BeforeEach
  void setUp() throws OpdeployException {
    fx = new GoldenFixture(tmp);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private Container container(String runner) throws OpdeployException {
    return new ContainerFactory(fx.runner, listener).create(runner);
  }

  private RefreshResult refresh(GoldenSpec spec, String runner, String version)
      throws OpdeployException {
    RefreshOptions options =
        new RefreshOptions(null, version == null ? null : Version.parse(version));
    return new RefreshGoldenStep(
            spec, fx.pool, fx.btrfs, container(runner), options, listener, fx.runner)
        .run();
  }

  @ParameterizedTest
  @ValueSource(strings = {"nspawn", "chroot"})
  void refreshBuildsTheStandinGoldenAndASecondVersionChangesOnlyWhatItShould(String runner)
      throws Exception {
    RefreshResult first = refresh(fx.standin(), runner, "v1.0.0");

    assertThat(first.created()).isTrue();
    assertThat(first.runner()).isEqualTo(runner);
    assertThat(first.steps())
        .extracting(RefreshResult.StepRun::step)
        .containsExactly("steps/10-build-info.sh");
    assertThat(fx.btrfs.isSubvolume(fx.golden())).isTrue();
    assertThat(fx.read("/etc/op-dbus/build-info")).isEqualTo("version=v1.0.0\n");
    assertThat(fx.read("/etc/op-dbus/config.toml")).contains("[daemon]");
    assertThat(fx.read("/etc/systemd/system/op-dbus.service"))
        .contains("ExecStart=/usr/local/bin/op-dbus run");
    Path binary = fx.golden().resolve("usr/local/bin/op-dbus");
    assertThat(Files.mismatch(binary, fx.specDir.resolve("op-dbus-standin.sh"))).isEqualTo(-1L);
    assertThat(Files.getAttribute(binary, "unix:mode")).isEqualTo(0100755);
    assertThat(fx.golden().resolve("var/tmp/opdeploy")).doesNotExist();
    assertThat(log).contains("steps/10-build-info.sh: stand-in build-info: version=v1.0.0");
    fx.assertNothingMountedInGolden();

    RefreshResult second = refresh(fx.standin(), runner, "v1.1.0");

    assertThat(second.created()).isFalse();
    assertThat(second.filesChanged()).as("overlay and payload are unchanged").isZero();
    assertThat(fx.read("/etc/op-dbus/build-info")).isEqualTo("version=v1.1.0\n");
    fx.assertNothingMountedInGolden();
  }

  @Test
  void thePoolIsKeptToItsOwnerWhileTheGoldensRootStaysAUsableRootFilesystem() throws Exception {
    Files.setPosixFilePermissions(
        fx.pool.pool(), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    refresh(fx.standin(), "chroot", null);
    assertThat(Files.getPosixFilePermissions(fx.pool.pool()))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.getPosixFilePermissions(fx.golden()))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void autoRunnerPrefersNspawnWhenItWorks() throws Exception {
    assertThat(refresh(fx.standin(), "auto", null).runner()).isEqualTo("nspawn");
    assertThat(fx.read("/etc/op-dbus/build-info")).isEqualTo("version=unversioned\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"nspawn", "chroot"})
  void failingStepStopsTheRefreshNamingTheStepAndShowingTheEndOfItsOutput(String runner)
      throws Exception {
    GoldenSpec spec =
        fx.withSteps(
            "1m",
            Map.of(
                "10-fails.sh",
                    "echo preparing; echo 'E: Unable to locate package op-dbus-deps' >&2; exit 3",
                "20-never.sh", "touch /never-ran"));

    assertThatThrownBy(() -> refresh(spec, runner, null))
        .isInstanceOfSatisfying(
            StepFailedException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED);
              assertThat(e.step()).isEqualTo("steps/10-fails.sh");
              assertThat(e.stepExitCode()).isEqualTo(3);
              assertThat(e.getMessage())
                  .contains("golden step steps/10-fails.sh failed with exit code 3")
                  .contains("preparing")
                  .contains("E: Unable to locate package op-dbus-deps");
            });
    assertThat(fx.golden().resolve("never-ran")).doesNotExist();
    assertThat(fx.golden().resolve("var/tmp/opdeploy")).doesNotExist();
    fx.assertNothingMountedInGolden();
  }

  @ParameterizedTest
  @ValueSource(strings = {"nspawn", "chroot"})
  void stepPastItsTimeoutIsKilledWithEveryProcessItStarted(String runner) throws Exception {
    String marker = runner.equals("nspawn") ? "31337" : "31338";
    GoldenSpec spec =
        fx.withSteps(
            "2s",
            Map.of(
                "10-hangs.sh",
                String.join(
                    "\n",
                    "sleep " + marker + "1 &",
                    "(setsid sleep " + marker + "2 > /dev/null 2>&1 &)",
                    "echo children started",
                    "sleep " + marker + "3")));

    long start = System.nanoTime();
    assertThatThrownBy(() -> refresh(spec, runner, null))
        .isInstanceOfSatisfying(
            StepFailedException.class,
            e -> {
              assertThat(e.timedOut()).isTrue();
              assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED);
              assertThat(e.getMessage())
                  .contains("steps/10-hangs.sh ran longer than step-timeout 2s")
                  .contains("children started");
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    assertThat(processesLeftAfter(marker, Duration.ofSeconds(5)))
        .as("processes that survived the step")
        .isEmpty();
    fx.assertNothingMountedInGolden();
  }

  /**
   * The processes still there after {@code grace}: killed ones take a moment to exit on a loaded
   * machine.
   */
  private static List<String> processesLeftAfter(String marker, Duration grace) throws Exception {
    long deadline = System.nanoTime() + grace.toNanos();
    List<String> found = processesMentioning(marker);
    while (!found.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
      found = processesMentioning(marker);
    }
    return found;
  }

  @Test
  void baseThatCannotBeCreatedLeavesNoHalfMadeGolden() throws Exception {
    Path bad = tmp.resolve("broken.tar");
    Files.writeString(bad, "this is not a tar archive");
    String yaml =
        Files.readString(fx.specDir.resolve("golden.yaml"))
            .replace("directory: base/ ", "tarball: " + bad + " ");
    Files.writeString(fx.specDir.resolve("golden.yaml"), yaml);
    GoldenSpec spec = GoldenSpec.load(fx.specDir, Map.of());
    assertThat(spec.base()).isInstanceOf(BaseSpec.Tarball.class);

    assertThatThrownBy(() -> refresh(spec, "chroot", null))
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining("creating the golden base (tarball " + bad + ") failed")
        .hasMessageContaining("was deleted");
    assertThat(fx.golden()).doesNotExist();
  }

  @Test
  void tarballBaseKeepsNumericOwnersAndModes() throws Exception {
    Path tree = tmp.resolve("tree");
    new ProcessCopy(fx).copyBase(tree);
    Files.createDirectories(tree.resolve("srv/data"));
    fx.runner.run("chown", "4321:4321", tree.resolve("srv/data").toString());
    Path tar = tmp.resolve("base.tar.gz");
    fx.runner.run("tar", "-czf", tar.toString(), "--numeric-owner", "-C", tree.toString(), ".");
    String yaml =
        Files.readString(fx.specDir.resolve("golden.yaml"))
            .replace("directory: base/ ", "tarball: " + tar + " ");
    Files.writeString(fx.specDir.resolve("golden.yaml"), yaml);

    refresh(GoldenSpec.load(fx.specDir, Map.of()), "chroot", "v2.0.0");

    assertThat(Files.getAttribute(fx.golden().resolve("srv/data"), "unix:uid")).isEqualTo(4321);
    assertThat(fx.read("/etc/op-dbus/build-info")).isEqualTo("version=v2.0.0\n");
  }

  /** PIDs whose command line mentions {@code marker}, this JVM aside. */
  private static List<String> processesMentioning(String marker) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
          if (cmd.contains(marker) && !cmd.contains("java")) {
            found.add(p.getFileName() + ": " + cmd);
          }
        } catch (IOException gone) {
          // The process ended while we looked.
        }
      }
    }
    return found;
  }

  /** Copies the stand-in base with cp -a, owners kept. */
  private record ProcessCopy(GoldenFixture fx) {
    void copyBase(Path to) throws OpdeployException {
      fx.runner.run("cp", "-a", fx.specDir.resolve("base").toString(), to.toString());
    }
  }
}
