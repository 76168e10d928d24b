package org.opdeploy.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opdeploy.container.Container;
import org.opdeploy.container.ContainerFactory;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;

class ValidateGoldenStepIT {
  @TempDir Path tmp;
  GoldenFixture fx;

  @BeforeEach
  void setUp() throws OpdeployException {
    fx = new GoldenFixture(tmp);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"nspawn", "chroot"})
  void validateReportsEveryCheckOfARefreshedGolden(String runner) throws Exception {
    Container container = new ContainerFactory(fx.runner, ProgressListener.NONE).create(runner);
    new RefreshGoldenStep(
            fx.standin(),
            fx.pool,
            fx.btrfs,
            container,
            RefreshOptions.defaults(),
            ProgressListener.NONE,
            fx.runner)
        .run();

    ValidationReport report =
        new ValidateGoldenStep(fx.standin(), fx.pool, container, ProgressListener.NONE).run();

    assertThat(report.passed()).isTrue();
    assertThat(report.checks())
        .extracting(ValidationReport.Check::kind, ValidationReport.Check::subject)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("file", "/usr/local/bin/op-dbus"),
            org.assertj.core.groups.Tuple.tuple("file", "/etc/op-dbus/config.toml"),
            org.assertj.core.groups.Tuple.tuple("file", "/etc/op-dbus/state.json"),
            org.assertj.core.groups.Tuple.tuple("file", "/etc/op-dbus/build-info"),
            org.assertj.core.groups.Tuple.tuple("service", "op-dbus.service"),
            org.assertj.core.groups.Tuple.tuple("user", "opdbus"),
            org.assertj.core.groups.Tuple.tuple("command", "/usr/local/bin/op-dbus --version"),
            org.assertj.core.groups.Tuple.tuple("command", "/usr/local/bin/op-dbus query"));
    assertThat(report.checks().get(6).detail()).isEqualTo("exit 0: op-dbus unversioned (stand-in)");
    fx.assertNothingMountedInGolden();

    // Break the golden: a check file goes missing, so query reports it broken too.
    Files.delete(fx.golden().resolve("etc/op-dbus/config.toml"));
    ValidationReport broken =
        new ValidateGoldenStep(fx.standin(), fx.pool, container, ProgressListener.NONE).run();

    assertThat(broken.passed()).isFalse();
    assertThat(broken.failures())
        .extracting(ValidationReport.Check::subject)
        .containsExactly("/etc/op-dbus/config.toml", "/usr/local/bin/op-dbus query");
    assertThat(broken.failures().get(1).detail()).startsWith("exit 1: {\"status\":\"broken\"");
    assertThatThrownBy(broken::requirePassed)
        .isInstanceOfSatisfying(
            OpdeployException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED);
              assertThat(e.getMessage())
                  .contains("failed 2 of 8 checks")
                  .contains("file /etc/op-dbus/config.toml (missing)");
            });
  }

  @org.junit.jupiter.api.Test
  void aServiceUserTheGoldenDoesNotDefineIsBadInput() throws Exception {
    Container container = new ContainerFactory(fx.runner, ProgressListener.NONE).create("chroot");
    new RefreshGoldenStep(
            fx.standin(),
            fx.pool,
            fx.btrfs,
            container,
            RefreshOptions.defaults(),
            ProgressListener.NONE,
            fx.runner)
        .run();
    Path passwd = fx.golden().resolve("etc/passwd");
    Files.writeString(passwd, Files.readString(passwd).replaceAll("(?m)^opdbus:.*\n", ""));

    ValidationReport report =
        new ValidateGoldenStep(fx.standin(), fx.pool, container, ProgressListener.NONE).run();

    assertThat(report.failures())
        .extracting(ValidationReport.Check::kind, ValidationReport.Check::detail)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "user",
                "unknown user: no entry in the golden's /etc/passwd (create it in a step)"));
    assertThatThrownBy(report::requirePassed)
        .isInstanceOfSatisfying(
            OpdeployException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT));
  }

  @org.junit.jupiter.api.Test
  void validateBeforeAnyRefreshSaysToRefreshFirst() throws Exception {
    Container container = new ContainerFactory(fx.runner, ProgressListener.NONE).create("chroot");
    assertThatThrownBy(
            () ->
                new ValidateGoldenStep(fx.standin(), fx.pool, container, ProgressListener.NONE)
                    .run())
        .hasMessageContaining("does not exist: run `opdeploy golden refresh` first");
  }
}
