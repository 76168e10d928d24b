package org.opdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/**
 * Machine-local changes in the real overlay mount across upgrade and rollback: carried into a new
 * version, the machine's copy kept (and reported) where the release changed the file too, and the
 * old version's overlay found as it was after a rollback.
 */
class OverlayMergeIT {
  @TempDir Path tempDir;
  private TargetFixture fx;
  private final List<String> warnings = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    fx = new TargetFixture(tempDir, 1024);
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  private TargetAgent agent() {
    return fx.agent(
        new ProgressListener() {
          @Override
          public void warn(String line) {
            warnings.add(line);
          }
        });
  }

  private Path overlay(String relative) {
    return fx.settings.overlay().resolve(relative);
  }

  @Test
  void localChangesFollowAnUpgradeAndARollbackFindsTheOldOverlayAsItWas() throws Exception {
    fx.publish("v1.0.0", null);
    fx.publish("v1.1.0", "v1.0.0");
    agent().upgrade(Version.parse("v1.0.0"), fx.source, false);
    Files.writeString(overlay("etc/op-dbus/local.conf"), "peer = 10.0.0.7\n");
    Files.writeString(overlay("etc/op-dbus/version"), "pinned here\n");

    agent().upgrade(Version.parse("v1.1.0"), fx.source, false);

    assertThat(overlay("etc/op-dbus/local.conf")).hasContent("peer = 10.0.0.7");
    assertThat(overlay("etc/op-dbus/version")).hasContent("pinned here");
    assertThat(fx.settings.mount().resolve("etc/op-dbus/version")).hasContent("v1.1.0");
    assertThat(warnings)
        .anySatisfy(
            w ->
                assertThat(w)
                    .contains(
                        "machine-local change to /etc/op-dbus/version kept, although the new release changes it too"));

    Files.writeString(overlay("etc/op-dbus/only-in-v1.1.0.conf"), "x\n");
    agent().rollback(Optional.empty());
    assertThat(overlay("etc/op-dbus/local.conf")).hasContent("peer = 10.0.0.7");
    assertThat(overlay("etc/op-dbus/version")).hasContent("pinned here");
    assertThat(overlay("etc/op-dbus/only-in-v1.1.0.conf")).doesNotExist();

    // Back on v1.1.0, its own overlay is there as it was: no second merge over it.
    Files.writeString(overlay("etc/op-dbus/local.conf"), "peer = 10.0.0.8\n");
    agent().activate(Version.parse("v1.1.0"));
    assertThat(overlay("etc/op-dbus/only-in-v1.1.0.conf")).exists();
    assertThat(overlay("etc/op-dbus/local.conf")).hasContent("peer = 10.0.0.7");
  }
}
