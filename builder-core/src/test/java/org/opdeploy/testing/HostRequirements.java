package org.opdeploy.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Integration tests need root and real tools. A missing one fails the test with what to install: CI
 * must never pass by skipping.
 */
public final class HostRequirements {
  private HostRequirements() {}

  public static void requireRoot() {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new AssertionError(
          "this integration test needs root (loop devices, mounts, btrfs): run it with sudo");
    }
  }

  /** Fails unless {@code program} is on the PATH; {@code apt} names the Debian package. */
  public static void requireProgram(String program, String apt) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return;
      }
    }
    throw new AssertionError(program + " is missing: apt-get install " + apt);
  }

  public static void requireBtrfsHost() {
    requireRoot();
    requireProgram("btrfs", "btrfs-progs");
    requireProgram("mkfs.btrfs", "btrfs-progs");
    requireProgram("losetup", "mount");
  }
}
