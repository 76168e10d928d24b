package org.opdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opdeploy.btrfs.BtrfsCli;
import org.opdeploy.deploy.state.CrashPoint;
import org.opdeploy.deploy.status.StatusReport;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.version.Version;

/**
 * Kills the target side at every named crash point ({@link CrashPoint}) in a child JVM, as {@code
 * kill -9} of its process group would, then runs it again: the next run completes or undoes the
 * interrupted switch, {@code status} is right before and after, nothing is left behind, and the
 * killed command's start entry is in the audit log.
 *
 * <p>Baseline of every case: v1.0.0 active and last known good, v2.0.0 deployed (healthy), v3.0.0
 * published with a failing health check, v2.5.0 published with a health check that hangs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashPointsIT {
  private static final String V1 = "v1.0.0";
  private static final String V2 = "v2.0.0";
  private static final String UNHEALTHY = "v3.0.0";
  private static final String HANGING = "v2.5.0";
  private static final String LATER = "v2.1.0";
  private static final String OLD = "v0.5.0";

  private Path tempDir;
  private TargetFixture fx;
  private TargetInvariants target;
  private ChildTarget child;
  private byte[] baselineState;
  private Path healthStarted;
  private int auditMark;

  @BeforeAll
  void publishAndInstall(@TempDir Path dir) throws Exception {
    tempDir = dir;
    fx = new TargetFixture(tempDir, 1024);
    target = new TargetInvariants(fx);
    child = new ChildTarget(fx, Files.createDirectories(tempDir.resolve("logs")));
    healthStarted = tempDir.resolve("health-started");
    fx.publish(OLD, null);
    fx.publish(V1, null);
    fx.publish(V2, V1);
    fx.publish(LATER, V2);
    fx.releases.writePayload(HANGING, 0, 64 * 1024);
    Path health = fx.releases.golden().resolve("usr/local/bin/health");
    Files.writeString(health, "#!/bin/sh\ntouch " + healthStarted + "\nexec sleep 60\n");
    Files.setPosixFilePermissions(health, PosixFilePermissions.fromString("rwxr-xr-x"));
    fx.releases.release(HANGING, V2, null, 0);
    fx.releases.writePayload(UNHEALTHY, 1, 64 * 1024);
    fx.releases.release(UNHEALTHY, HANGING, null, 0);
    fx.agent().upgrade(v(V1), fx.source, false);
    fx.agent().deploy(v(V2), fx.source, false);
    baselineState = Files.readAllBytes(fx.layout().stateFile());
  }

  @AfterAll
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  /** Back to the baseline: v1 active, v1 and v2 deployed, nothing else; state.json as it was. */
  @BeforeEach
  void restoreBaseline() throws Exception {
    fx.agent().recover();
    BtrfsCli btrfs = new BtrfsCli(new ProcessRunner());
    for (var deployment : fx.agent().status().installed()) {
      String version = deployment.version().toString();
      if (!version.equals(V1) && !version.equals(V2)) {
        btrfs.delete(deployment.path());
        new ProcessBuilder(
                "rm",
                "-rf",
                fx.layout().cache(deployment.version()).toString(),
                fx.layout().overlayRoot().resolve(version).toString())
            .start()
            .waitFor();
      }
    }
    fx.agent().rollback(Optional.of(v(V1)));
    Files.write(fx.layout().stateFile(), baselineState);
    Files.deleteIfExists(healthStarted);
    target.assertConverged(V1, V1, V2);
    auditMark = target.auditLines();
  }

  private static Version v(String text) throws Exception {
    return Version.parse(text);
  }

  private String store() {
    return fx.releases.store().toString();
  }

  /** The crash: exit 137 and nothing printed after the kill; the start entry is in the log. */
  private void crash(String point, String command, String... args) throws Exception {
    String[] argv = new String[args.length + 1];
    argv[0] = command;
    System.arraycopy(args, 0, argv, 1, args.length);
    ChildTarget.Result killed = child.run(point, argv);
    assertThat(killed.exitCode()).as("killed at " + point + ": " + killed.stderr()).isEqualTo(137);
    List<JsonNode> entries = target.auditFrom(auditMark);
    assertThat(TargetInvariants.summary(entries))
        .as("the killed run left its start entry")
        .endsWith((command.equals("prune") ? "target prune" : command) + " started");
  }

  /** {@code recover} in a child: exit 0, and its one warning line says what it did. */
  private ChildTarget.Result recover(String expectedLine) throws Exception {
    ChildTarget.Result recovered = child.run(null, "recover");
    assertThat(recovered.exitCode()).as(recovered.stderr()).isZero();
    assertThat(recovered.stderr()).contains(expectedLine);
    return recovered;
  }

  private void assertRecoveryAudited(String action) throws Exception {
    List<JsonNode> entries = target.auditFrom(auditMark);
    JsonNode recovery =
        entries.stream()
            .filter(
                e ->
                    e.get("command").asText().equals("recover-switch")
                        && e.get("details").has("action"))
            .findFirst()
            .orElseThrow();
    assertThat(recovery.get("details").get("action").asText()).isEqualTo(action);
  }

  @ParameterizedTest(
      name = "upgrade killed at {0} is reverted to the last known good, then upgrades")
  @ValueSource(
      strings = {
        "switch-intent-written",
        "switch-link-renamed",
        "switch-bind-mounted",
        "switch-overlay-mounted",
        "switch-service-restarted",
        "health-check-started"
      })
  void upgradeKilledBeforeItsCommitIsRevertedAndARerunUpgrades(String point) throws Exception {
    crash(point, "upgrade", store(), V2);
    StatusReport between = fx.agent().status();
    assertThat(between.active()).as("status names the committed version").hasToString(V1);
    assertThat(between.pendingSwitch())
        .isNotNull()
        .satisfies(
            p -> {
              assertThat(p.command()).isEqualTo("upgrade");
              assertThat(p.to()).hasToString(V2);
              assertThat(p.healthCheck()).isTrue();
            });

    recover("an interrupted upgrade v1.0.0 -> v2.0.0 was found");
    target.assertConverged(V1, V1, V2);
    assertThat(fx.state().failed()).extracting(Object::toString).containsExactly(V2);
    assertThat(fx.state().lastKnownGood()).hasToString(V1);
    assertRecoveryAudited("reverted");

    ChildTarget.Result rerun = child.run(null, "upgrade", store(), V2);
    assertThat(rerun.exitCode()).as(rerun.stderr()).isZero();
    target.assertConverged(V2, V1, V2);
    assertThat(fx.state().lastKnownGood()).hasToString(V2);
    assertThat(fx.state().previous()).hasToString(V1);
    assertThat(fx.state().failed()).isEmpty();
  }

  @Test
  void upgradeKilledAfterItsCommitIsCompleted() throws Exception {
    crash("upgrade-committed", "upgrade", store(), V2);
    assertThat(fx.agent().status().active()).hasToString(V2);

    recover("an interrupted upgrade v1.0.0 -> v2.0.0 was found");

    target.assertConverged(V2, V1, V2);
    assertThat(fx.state().lastKnownGood()).hasToString(V2);
    assertThat(fx.state().previous()).hasToString(V1);
    assertRecoveryAudited("completed");
  }

  @ParameterizedTest(name = "activate killed at {0} is undone, and the rerun activates")
  @ValueSource(
      strings = {
        "switch-intent-written",
        "switch-link-renamed",
        "bind-detached",
        "switch-bind-mounted",
        "overlay-detached",
        "switch-overlay-mounted"
      })
  void activateKilledBeforeItsCommitIsUndone(String point) throws Exception {
    crash(point, "activate", V2);
    if (point.equals("bind-detached")) {
      assertThat(new org.opdeploy.container.MountTable().countAt(fx.settings.mount()))
          .as("killed with nothing mounted at the mount point")
          .isZero();
    }
    assertThat(fx.agent().status().active()).hasToString(V1);

    ChildTarget.Result rerun = child.run(null, "activate", V2);

    assertThat(rerun.exitCode()).as(rerun.stderr()).isZero();
    assertThat(rerun.stderr())
        .contains("warning: an interrupted activate v1.0.0 -> v2.0.0 was found")
        .contains("reverted, v1.0.0 is active");
    target.assertConverged(V2, V1, V2);
    assertThat(fx.state().previous()).hasToString(V1);
    assertRecoveryAudited("reverted");
  }

  @ParameterizedTest(name = "activate killed at {0} (after its commit) is completed")
  @ValueSource(strings = {"switch-state-written", "switch-service-restarted"})
  void activateKilledAfterItsCommitIsCompleted(String point) throws Exception {
    crash(point, "activate", V2);
    assertThat(fx.agent().status().active()).hasToString(V2);

    recover("completed, v2.0.0 is active");

    target.assertConverged(V2, V1, V2);
    assertThat(fx.state().previous()).hasToString(V1);
    assertThat(fx.state().lastKnownGood()).as("activate checks no health").hasToString(V1);
  }

  @Test
  void rollbackKilledHalfwayIsUndoneAndItsRerunSwitches() throws Exception {
    fx.agent().activate(v(V2));
    auditMark = target.auditLines();
    crash("switch-bind-mounted", "rollback", V1);

    ChildTarget.Result rerun = child.run(null, "rollback", V1);

    assertThat(rerun.exitCode()).as(rerun.stderr()).isZero();
    assertThat(rerun.stderr()).contains("an interrupted rollback v2.0.0 -> v1.0.0 was found");
    target.assertConverged(V1, V1, V2);
    assertThat(fx.state().previous()).hasToString(V2);
  }

  @ParameterizedTest(
      name = "a failed upgrade killed while switching back ({0}) is reverted by the next run")
  @ValueSource(strings = {"revert-link-renamed", "revert-overlay-mounted"})
  void failedUpgradeKilledWhileSwitchingBackEndsOnTheVersionBefore(String point) throws Exception {
    crash(point, "upgrade", store(), UNHEALTHY);

    recover("reverted, v1.0.0 is active");

    target.assertConverged(V1, V1, V2, UNHEALTHY);
    assertThat(fx.state().failed()).extracting(Object::toString).containsExactly(UNHEALTHY);
    ChildTarget.Result rerun = child.run(null, "upgrade", store(), UNHEALTHY);
    assertThat(rerun.exitCode()).isEqualTo(1);
    assertThat(rerun.lastLine())
        .startsWith("opdeploy: error: v3.0.0 failed its health check")
        .endsWith("rolled back to v1.0.0");
    target.assertConverged(V1, V1, V2, UNHEALTHY);
  }

  @Test
  void processGroupKilledDuringTheHealthCheckRevertsToTheLastKnownGood() throws Exception {
    ChildTarget.Result killed =
        child.killGroupWhen(() -> Files.exists(healthStarted), "upgrade", store(), HANGING);
    assertThat(killed.exitCode()).isEqualTo(137);
    assertThat(TargetInvariants.summary(target.auditFrom(auditMark)))
        .containsExactly("upgrade started");
    assertThat(child.survivors()).as("the health check died with its group").isEmpty();
    assertThat(Files.readString(fx.settings.mount().resolve("etc/op-dbus/version")).strip())
        .as("killed with the unchecked version mounted")
        .isEqualTo(HANGING);

    recover("an interrupted upgrade v1.0.0 -> v2.5.0 was found");

    target.assertConverged(V1, V1, V2, HANGING);
    assertThat(fx.state().failed()).extracting(Object::toString).containsExactly(HANGING);
    assertRecoveryAudited("reverted");
  }

  @ParameterizedTest(name = "a recovery killed in turn at {0} is finished by the next run")
  @ValueSource(strings = {"recover-link-renamed", "recover-overlay-mounted"})
  void recoveryKilledInTurnIsFinishedByTheNextRun(String point) throws Exception {
    crash("switch-overlay-mounted", "activate", V2);
    ChildTarget.Result killedAgain = child.run(point, "recover");
    assertThat(killedAgain.exitCode()).isEqualTo(137);
    assertThat(fx.layout().switchFile()).as("the intent outlives a killed recovery").exists();

    recover("reverted, v1.0.0 is active");

    target.assertConverged(V1, V1, V2);
  }

  @Test
  void deployKilledAfterPromotingIsRecordedByTheRerun() throws Exception {
    crash("deploy-promoted", "deploy", store(), LATER);
    assertThat(fx.state().highestOnTrackOf(v(LATER))).contains(v(V2));

    ChildTarget.Result rerun = child.run(null, "deploy", store(), LATER);

    assertThat(rerun.exitCode()).as(rerun.stderr()).isZero();
    assertThat(rerun.stderr()).contains("v2.1.0 is already deployed");
    assertThat(fx.state().highestOnTrackOf(v(LATER))).contains(v(LATER));
    target.assertConverged(V1, V1, V2, LATER);
  }

  @Test
  void pruneKilledAfterDeletingADeploymentLeavesCacheAndOverlayForTheNextRun() throws Exception {
    deployOldVersionWithAnOverlay();
    crash("prune-deployment-deleted", "prune", "1");
    assertThat(fx.deployment(OLD)).doesNotExist();
    assertThat(fx.layout().cache(v(OLD))).isDirectory();

    ChildTarget.Result rerun = child.run(null, "status");
    assertThat(rerun.exitCode()).isZero();
    assertThat(fx.layout().cache(v(OLD))).as("status changes nothing").isDirectory();
    recover("removed leftover " + fx.layout().cache(v(OLD)));

    assertThat(fx.layout().cache(v(OLD))).doesNotExist();
    assertThat(fx.layout().overlayRoot().resolve(OLD)).doesNotExist();
    assertThat(fx.layout().cache(v(V1))).isDirectory();
    assertThat(fx.layout().overlayRoot().resolve(V1)).isDirectory();
    target.assertConverged(V1, V1, V2);
  }

  @Test
  void pruneKilledBeforeDeletingIsRedoneByTheNextPrune() throws Exception {
    deployOldVersionWithAnOverlay();
    crash("prune-marked", "prune", "1");
    assertThat(fx.deployment(OLD)).isDirectory();

    ChildTarget.Result rerun = child.run(null, "prune", "1");

    assertThat(rerun.exitCode()).as(rerun.stderr()).isZero();
    assertThat(fx.deployment(OLD)).doesNotExist();
    assertThat(fx.layout().cache(v(OLD))).doesNotExist();
    assertThat(fx.layout().overlayRoot().resolve(OLD)).doesNotExist();
    target.assertConverged(V1, V1, V2);
  }

  private void deployOldVersionWithAnOverlay() throws Exception {
    fx.agent().deploy(v(OLD), fx.source, true);
    Files.write(fx.layout().stateFile(), baselineState);
    Path upper = Files.createDirectories(fx.layout().overlayUpper(v(OLD)).resolve("etc"));
    Files.writeString(upper.resolve("local.conf"), "machine-local\n");
    auditMark = target.auditLines();
  }
}
