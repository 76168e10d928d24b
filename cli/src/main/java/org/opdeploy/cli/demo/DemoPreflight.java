package org.opdeploy.cli.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.process.ProcessRunner;

/**
 * Names everything the demo needs that this machine lacks, in one message with the packages to
 * install, instead of failing halfway with an obscure error.
 */
final class DemoPreflight {
  private static final List<String> PROGRAMS =
      List.of("btrfs", "mkfs.btrfs", "losetup", "mount", "unshare", "chroot");

  private DemoPreflight() {}

  static void check(Map<String, String> env) throws OpdeployException {
    List<String> missing = new ArrayList<>();
    List<String> packages = new ArrayList<>();
    if (!"root".equals(System.getProperty("user.name"))) {
      // Worded and coded (exit 2) as every other command that needs root.
      throw new BadInputException(
          "opdeploy demo needs root (loop devices, mounts, btrfs): run it with sudo"
              + " (sudo ./opdeploy demo)");
    }
    for (String program : PROGRAMS) {
      if (!onPath(env, program)) {
        missing.add(program);
        packages.add(ProcessRunner.packageProviding(program));
      }
    }
    if (!Files.isExecutable(Path.of("/bin/busybox"))) {
      missing.add("/bin/busybox");
      packages.add("busybox-static");
    }
    if (!Files.isDirectory(Path.of("/sys/fs/btrfs"))
        && !Files.exists(Path.of("/proc/filesystems"))) {
      missing.add("btrfs kernel support");
    }
    if (!missing.isEmpty()) {
      throw new OpdeployException(
          "the demo needs "
              + String.join(", ", missing)
              + ": apt-get install "
              + String.join(" ", packages.stream().distinct().toList())
              + " (or run ci/demo.sh, which installs them)");
    }
  }

  static boolean onPath(Map<String, String> env, String program) {
    for (String dir : env.getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
