package org.opdeploy.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.container.ContainerFactory;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.testing.HostRequirements;
import org.opdeploy.version.Version;

/**
 * The one test that bootstraps real Debian (about a minute; it reaches the host's Debian mirror):
 * proves the debootstrap base and that a step can use apt-style tools inside the result.
 */
class DebootstrapGoldenIT {
  @TempDir Path tmp;

  @Test
  void debootstrapBaseBuildsABookwormGoldenThatStepsRunIn() throws Exception {
    HostRequirements.requireProgram("debootstrap", "debootstrap");
    Path spec = Files.createDirectories(tmp.resolve("spec/steps"));
    Files.writeString(
        spec.resolve("10-record.sh"),
        "#!/bin/sh\nset -eu\ndpkg-query -W -f '${Version}\\n' base-files > /etc/base-files-version\n"
            + "echo \"$OPDEPLOY_VERSION\" > /etc/opdeploy-version\n");
    Files.setAttribute(spec.resolve("10-record.sh"), "unix:mode", 0755);
    Files.writeString(
        spec.getParent().resolve("golden.yaml"),
        String.join(
            "\n",
            "name: op-dbus",
            "base:",
            "  debootstrap: {suite: bookworm, variant: minbase}",
            "steps: [steps/10-record.sh]",
            "checks:",
            "  files: [/etc/debian_version, /usr/bin/dpkg]",
            "  commands: [\"apt-get --version\"]",
            ""));
    try (GoldenFixture fx = new GoldenFixture(tmp.resolve("fx"), 1200)) {
      GoldenSpec golden = GoldenSpec.load(spec.getParent(), Map.of());
      var container = new ContainerFactory(fx.runner, ProgressListener.NONE).create("auto");

      RefreshResult result =
          new RefreshGoldenStep(
                  golden,
                  fx.pool,
                  fx.btrfs,
                  container,
                  new RefreshOptions(null, Version.parse("v0.1.0")),
                  ProgressListener.NONE,
                  fx.runner)
              .run();

      assertThat(result.created()).isTrue();
      assertThat(result.base()).startsWith("debootstrap bookworm (minbase)");
      assertThat(fx.read("/etc/debian_version")).startsWith("12.");
      assertThat(fx.read("/etc/base-files-version")).startsWith("12");
      assertThat(fx.read("/etc/opdeploy-version")).isEqualTo("v0.1.0\n");
      assertThat(
              new ValidateGoldenStep(golden, fx.pool, container, ProgressListener.NONE)
                  .run()
                  .passed())
          .isTrue();
      fx.assertNothingMountedInGolden();
    }
  }
}
