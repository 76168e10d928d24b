package org.opdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.manifest.ServiceAccount;
import org.opdeploy.version.Version;

/**
 * A signed release whose manifest names an invalid capability is refused before anything is
 * received.
 */
class ServiceAccountIT {
  @TempDir Path tempDir;
  private TargetFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = new TargetFixture(tempDir, 512);
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  @Test
  void anInvalidCapabilityInASignedManifestIsBadInputAndNothingIsReceived() throws Exception {
    fx.publish("v1.0.0", null);
    Version v = Version.parse("v1.0.0");
    ServiceAccount bad =
        new ServiceAccount("opdbus", false, List.of("CAP_NET_ADMIN", "CAP_EVERYTHING"));
    fx.releases.rewriteManifest(
        "v1.0.0",
        m ->
            new Manifest(
                m.format(),
                m.name(),
                m.version(),
                m.created(),
                m.expires(),
                m.source(),
                m.subvolume(),
                m.btrfs(),
                m.service(),
                m.health(),
                m.streams(),
                bad));

    assertThatThrownBy(() -> fx.agent().upgrade(v, fx.source, false))
        .isInstanceOfSatisfying(
            OpdeployException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
              assertThat(e.getMessage())
                  .contains("service_account: 'CAP_EVERYTHING' is not a Linux capability")
                  .doesNotContain("\n");
            });
    assertThat(fx.deployment("v1.0.0")).doesNotExist();
    assertThat(fx.state().active()).isNull();
    assertThat(fx.services.calls()).isEmpty();
  }
}
