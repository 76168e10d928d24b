package org.opdeploy.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeInstallerTest {
  @TempDir Path tmp;

  @Test
  void overlayLandsInsideTheGoldenEvenThroughAbsoluteSymlinks() throws Exception {
    Path golden = Files.createDirectories(tmp.resolve("golden"));
    Path outside = Files.createDirectories(tmp.resolve("host-run"));
    Files.createDirectories(golden.resolve("run"));
    Files.createDirectories(golden.resolve("var"));
    // Like Debian's /var/run -> /run: an absolute link, which on the host would leave the golden.
    Files.createSymbolicLink(golden.resolve("var/run"), outside.toAbsolutePath());
    Files.createSymbolicLink(golden.resolve("lib"), Path.of("/usr/lib"));
    Path overlay = Files.createDirectories(tmp.resolve("rootfs/var/run/op-dbus"));
    Files.writeString(overlay.resolve("pid"), "1\n");
    Files.createDirectories(tmp.resolve("rootfs/lib/systemd/system"));
    Files.writeString(tmp.resolve("rootfs/lib/systemd/system/op-dbus.service"), "[Unit]\n");

    int changed = new TreeInstaller(golden).installOverlay(tmp.resolve("rootfs"));

    assertThat(changed).isEqualTo(2);
    assertThat(golden.resolve(outside.toString().substring(1)).resolve("op-dbus/pid"))
        .hasContent("1");
    assertThat(golden.resolve("usr/lib/systemd/system/op-dbus.service")).exists();
    assertThat(outside).isEmptyDirectory();
  }

  @Test
  void installsWithNormalisedModesAndLeavesUnchangedFilesAlone() throws Exception {
    Path golden = Files.createDirectories(tmp.resolve("golden"));
    Path overlay = Files.createDirectories(tmp.resolve("rootfs/etc/op-dbus"));
    Path config = Files.writeString(overlay.resolve("config.toml"), "a = 1\n");
    Files.setAttribute(config, "unix:mode", 0664);
    Path tool = Files.writeString(overlay.resolve("hook"), "#!/bin/sh\n");
    Files.setAttribute(tool, "unix:mode", 0775);
    Files.createSymbolicLink(overlay.resolve("current"), Path.of("config.toml"));
    TreeInstaller installer = new TreeInstaller(golden);

    assertThat(installer.installOverlay(tmp.resolve("rootfs"))).isEqualTo(3);
    assertThat(Files.getAttribute(golden.resolve("etc/op-dbus/config.toml"), "unix:mode"))
        .isEqualTo(0100644);
    assertThat(Files.getAttribute(golden.resolve("etc/op-dbus/hook"), "unix:mode"))
        .isEqualTo(0100755);
    assertThat(Files.readSymbolicLink(golden.resolve("etc/op-dbus/current")))
        .isEqualTo(Path.of("config.toml"));

    assertThat(installer.installOverlay(tmp.resolve("rootfs"))).isZero();

    Files.writeString(config, "a = 2\n");
    assertThat(installer.installFile(tool, "/usr/local/bin/hook", 0700)).isTrue();
    assertThat(installer.installOverlay(tmp.resolve("rootfs"))).isEqualTo(1);
    assertThat(golden.resolve("etc/op-dbus/config.toml")).hasContent("a = 2");
    assertThat(Files.getAttribute(golden.resolve("usr/local/bin/hook"), "unix:mode"))
        .isEqualTo(0100700);
    try (var left = Files.list(golden.resolve("etc/op-dbus"))) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith(".opdeploy-"));
    }
  }
}
