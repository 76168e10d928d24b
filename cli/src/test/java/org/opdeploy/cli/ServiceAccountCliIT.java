package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The golden spec's service account as users get it wrong: one clear line, exit 2, no release made.
 */
class ServiceAccountCliIT {
  @TempDir Path dir;
  private TwoHosts hosts;

  @BeforeEach
  void setUp() throws Exception {
    hosts = TwoHosts.create(dir, null);
  }

  @AfterEach
  void tearDown() throws Exception {
    hosts.close();
  }

  private void account(String yaml) throws Exception {
    Path spec = dir.resolve("golden/golden.yaml");
    Files.writeString(
        spec, Files.readString(spec).replaceAll("(?s)service-account:\\n(  .*?\\n)+", yaml));
  }

  @Test
  void anInvalidCapabilityIsRefusedBeforeAnythingIsBuilt() throws Exception {
    account("service-account: {user: opdbus, capabilities: [CAP_NET_ADMIN, CAP_NET_RAWW]}\n");
    CliRun run =
        hosts.run(
            "release", "v1.0.0", "--to", "dir:" + dir.resolve("releases"), "--runner", "chroot");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr().strip())
        .contains("'CAP_NET_RAWW' is not a Linux capability")
        .doesNotContain("\n");
    try (var pool = Files.list(hosts.pool())) {
      assertThat(pool.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith("@op-dbus"));
    }
  }

  @Test
  void aUserTheGoldenDoesNotDefineStopsTheReleaseBeforeItsSnapshot() throws Exception {
    account("service-account: {user: ghost, capabilities: [CAP_NET_RAW]}\n");
    CliRun run =
        hosts.run(
            "release", "v1.0.0", "--to", "dir:" + dir.resolve("releases"), "--runner", "chroot");
    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
    assertThat(run.stderr())
        .contains("user ghost (unknown user: no entry in the golden's /etc/passwd");
    assertThat(hosts.pool().resolve("@op-dbus-v1.0.0")).doesNotExist();
    assertThat(dir.resolve("releases/v1.0.0")).doesNotExist();
  }
}
