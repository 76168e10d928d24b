package org.opdeploy.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.cli.Main;
import org.opdeploy.golden.StandinGolden;
import org.opdeploy.process.ProcessResult;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.seal.ThrowawayKey;
import org.opdeploy.testing.HostRequirements;
import org.opdeploy.testing.TemporaryBtrfs;

/**
 * The .deb as an operator meets it on a clean Debian 12 machine (the cached tree of {@code
 * ci/target-os.sh}, through overlayfs): {@code apt-get install ./opdeploy_….deb}, then the target
 * commands against a signed release in a {@code dir:} store, the units through {@code
 * systemd-analyze verify}, and {@code apt-get purge}, after which deployments and state stay and
 * nothing of the package does.
 */
class DebianPackageIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void installsRunsTheTargetCommandsAndPurgesCleanlyOnDebian12() throws Exception {
    HostRequirements.requireRoot();
    HostRequirements.requireProgram("debootstrap", "debootstrap");
    Path deb = PackageFiles.deb();
    Path lower =
        Path.of(
            new ProcessRunner()
                .run("bash", PackageFiles.projectRoot().resolve("ci/target-os.sh").toString())
                .stdout()
                .strip());
    ThrowawayKey key = ThrowawayKey.generate("package test <test@opdeploy.invalid>");
    Path releases = release(key);

    try (TemporaryBtrfs targetRoot = TemporaryBtrfs.create(dir, "target-root", 1536);
        TargetTree tree = TargetTree.mount(lower, Files.createDirectories(dir.resolve("os")))) {
      tree.bind(targetRoot.root(), "/var/lib/opdeploy");
      copy(releases, tree.path("/srv/releases"));
      Files.copy(deb, tree.path("/root/" + deb.getFileName()));

      // As the README has it: apt-get install ./opdeploy_….deb, from the folder it was downloaded
      // to.
      ok(tree.run("sh", "-c", "cd /root && apt-get install -y ./" + deb.getFileName()));
      assertThat(tree.path("/var/cache/opdeploy/opdeploy.jsa"))
          .as("class-data archive built at install")
          .isNotEmptyFile();
      assertThat(ok(tree.run("opdeploy", "--version"))).contains("opdeploy 0.1.0-SNAPSHOT");
      assertThat(tree.path("/usr/share/man/man1/opdeploy.1.gz")).isNotEmptyFile();
      assertThat(tree.path("/etc/systemd/system/timers.target.wants/opdeploy-upgrade.timer"))
          .as("automatic upgrades are off until enabled")
          .doesNotExist();
      assertThat(tree.path("/etc/systemd/system/multi-user.target.wants/opdeploy-boot.service"))
          .as("the active version comes back at boot")
          .isSymbolicLink();

      Files.writeString(tree.path("/etc/opdeploy/trusted.asc"), key.armoredPublicKey());
      Files.writeString(
          tree.path("/etc/opdeploy/opdeploy.yaml"), "source: dir:/srv/releases\nservice: none\n");
      ok(tree.run("opdeploy", "target", "prepare"));
      JsonNode deployed = JSON.readTree(ok(tree.run("opdeploy", "--json", "deploy", "v1.0.0")));
      assertThat(deployed.get("version").asText()).isEqualTo("v1.0.0");
      JsonNode status = JSON.readTree(ok(tree.run("opdeploy", "--json", "status")));
      assertThat(status.toString()).contains("v1.0.0");

      // Automatic updates: stable track by default, so the prerelease is listed but not offered.
      JsonNode listed = JSON.readTree(ok(tree.run("opdeploy", "--json", "list", "--source")));
      assertThat(listed.get("releases").findValuesAsText("version"))
          .containsExactly("v1.0.0", "v1.1.0", "v2.0.0-rc.1");
      assertThat(listed.at("/releases/1/stream").asText()).isEqualTo("incremental");
      assertThat(listed.at("/releases/1/parent").asText()).isEqualTo("v1.0.0");
      assertThat(ok(tree.run("opdeploy", "check-new")).strip()).isEqualTo("v1.1.0");
      JsonNode upgraded = JSON.readTree(ok(tree.run("opdeploy", "--json", "upgrade", "latest")));
      assertThat(upgraded.at("/deploy/version").asText()).isEqualTo("v1.1.0");
      assertThat(upgraded.get("healthy").asBoolean()).isTrue();
      ProcessResult none = tree.run("opdeploy", "--json", "check-new");
      assertThat(none.exitCode()).as(none.stdout() + none.stderrTail()).isEqualTo(5);
      assertThat(JSON.readTree(none.stdout()).get("newer").asBoolean()).isFalse();
      assertThat(
              JSON.readTree(ok(tree.run("opdeploy", "--json", "upgrade", "latest")))
                  .get("upgraded")
                  .asBoolean())
          .isFalse();
      assertThat(ok(tree.run("opdeploy", "--track", "prerelease", "check-new")).strip())
          .isEqualTo("v2.0.0-rc.1");

      // Every unit the package installs; --man=no: a minimal target has no man-db for
      // Documentation=.
      List<String> verify =
          new java.util.ArrayList<>(List.of("systemd-analyze", "verify", "--man=no"));
      try (var units = Files.list(tree.path("/lib/systemd/system"))) {
        units
            .map(u -> u.getFileName().toString())
            .filter(u -> u.startsWith("opdeploy-"))
            .sorted()
            .forEach(u -> verify.add("/lib/systemd/system/" + u));
      }
      assertThat(verify)
          .contains(
              "/lib/systemd/system/opdeploy-upgrade.timer",
              "/lib/systemd/system/opdeploy-upgrade.service");
      ok(tree.run(verify.toArray(String[]::new)));

      ok(tree.run("apt-get", "purge", "-y", "opdeploy"));
      for (String gone :
          List.of(
              "/usr/bin/opdeploy",
              "/usr/share/opdeploy",
              "/etc/opdeploy",
              "/var/cache/opdeploy",
              "/lib/systemd/system/opdeploy-boot.service",
              "/etc/systemd/system/multi-user.target.wants/opdeploy-boot.service",
              "/etc/systemd/system/opdeploy-boot.service",
              "/lib/systemd/system/opdeploy-upgrade.timer",
              "/lib/systemd/system/opdeploy-upgrade.service",
              "/usr/share/man/man1/opdeploy.1.gz",
              "/usr/share/bash-completion/completions/opdeploy",
              "/usr/share/doc/opdeploy")) {
        assertThat(tree.path(gone)).as(gone + " after purge").doesNotExist();
      }
      assertThat(tree.run("dpkg", "-s", "opdeploy").exitCode())
          .as("dpkg forgot the package, conffiles too")
          .isNotZero();
      assertThat(tree.path("/var/lib/opdeploy/state.json"))
          .as("target state kept")
          .isNotEmptyFile();
      assertThat(ok(tree.run("btrfs", "subvolume", "list", "/var/lib/opdeploy")))
          .as("deployment kept")
          .contains("v1.0.0");
    }
  }

  /**
   * Releases the stand-in golden as v1.0.0, v1.1.0 and v2.0.0-rc.1 to a dir: store, signed by
   * {@code key}, in-process.
   */
  private Path release(ThrowawayKey key) throws Exception {
    Path releases = dir.resolve("releases");
    try (TemporaryBtrfs build = TemporaryBtrfs.create(dir, "build", 1024)) {
      Path pool = Files.createDirectories(build.root().resolve("pool"));
      new StandinGolden(new ProcessRunner()).extractTo(dir.resolve("golden"));
      Map<String, String> env = new HashMap<>(System.getenv());
      env.put("OPDEPLOY_SIGNING_KEY", key.armoredSecretKey());
      for (String version : List.of("v1.0.0", "v1.1.0", "v2.0.0-rc.1")) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
            Main.run(
                new String[] {
                  "--pool",
                  pool.toString(),
                  "--golden",
                  dir.resolve("golden").toString(),
                  "release",
                  version,
                  "--to",
                  "dir:" + releases,
                  "--runner",
                  "chroot",
                  "--installer",
                  "none"
                },
                env,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
      }
    }
    return releases;
  }

  private static void copy(Path from, Path to) throws Exception {
    Files.createDirectories(to.getParent());
    new ProcessRunner().run("cp", "-a", from.toString(), to.toString());
  }

  private static String ok(ProcessResult result) {
    assertThat(result.exitCode()).as(result.stdout() + result.stderrTail()).isZero();
    return result.stdout();
  }
}
