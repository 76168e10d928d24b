package org.opdeploy.cli.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opdeploy.error.OpdeployException;

/**
 * Names everything the demo needs that this machine lacks, in one message with the packages to
 * install, instead of failing halfway with an obscure error.
 */
final class DemoPreflight {
  private static final Map<String, String> PROGRAMS = new LinkedHashMap<>();

  static {
    PROGRAMS.put("btrfs", "btrfs-progs");
    PROGRAMS.put("mkfs.btrfs", "btrfs-progs");
    PROGRAMS.put("losetup", "mount");
    PROGRAMS.put("mount", "mount");
    PROGRAMS.put("unshare", "util-linux");
    PROGRAMS.put("chroot", "coreutils");
  }

  private DemoPreflight() {}

  static void check(Map<String, String> env) throws OpdeployException {
    List<String> missing = new ArrayList<>();
    List<String> packages = new ArrayList<>();
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new OpdeployException("the demo needs root (loop devices, mounts, btrfs): run `sudo ./opdeploy demo`");
    }
    for (Map.Entry<String, String> program : PROGRAMS.entrySet()) {
      if (!onPath(env, program.getKey())) {
        missing.add(program.getKey());
        packages.add(program.getValue());
      }
    }
    if (!Files.isExecutable(Path.of("/bin/busybox"))) {
      missing.add("/bin/busybox");
      packages.add("busybox-static");
    }
    if (!Files.isDirectory(Path.of("/sys/fs/btrfs")) && !Files.exists(Path.of("/proc/filesystems"))) {
      missing.add("btrfs kernel support");
    }
    if (!missing.isEmpty()) {
      throw new OpdeployException("the demo needs " + String.join(", ", missing) + ": apt-get install "
          + String.join(" ", packages.stream().distinct().toList()) + " (or run ci/demo.sh, which installs them)");
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
