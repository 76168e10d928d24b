package org.opdeploy.container;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.opdeploy.process.ProcessRunner;

/**
 * {@code systemd-nspawn}: its own PID, mount, IPC and UTS namespaces, /proc, /sys and /dev set up
 * and torn down by systemd, the host network shared (steps install packages). Nothing is registered
 * with machined and no scope unit is made, so it works from a CI runner's shell. nspawn mounts a
 * fresh tmpfs on /tmp and /run: files a step needs must live elsewhere.
 */
public final class NspawnContainer extends ProcessContainer {

  public NspawnContainer(ProcessRunner runner) {
    super(runner);
  }

  @Override
  public String name() {
    return "nspawn";
  }

  /**
   * nspawn says this on exit when /run/systemd is not a tmpfs (as inside a Docker-style CI
   * container); it is harmless and would otherwise be the "last line" of every failure.
   */
  @Override
  boolean isNoise(String line) {
    return line.startsWith(
        "Attempted to remove disk file system under \"/run/systemd/nspawn/propagate/");
  }

  @Override
  List<String> command(Path root, List<String> argv, Map<String, String> env) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "systemd-nspawn",
                "--quiet",
                "--register=no",
                "--keep-unit",
                // A tiny init as PID 1 reaps zombies and takes every leftover process down with it.
                "--as-pid2",
                "--console=pipe",
                "--link-journal=no",
                "--timezone=off",
                // Borrow the host's DNS for the run without writing the host's file into the
                // golden.
                "--resolv-conf="
                    + (Files.isRegularFile(
                            root.resolve("etc/resolv.conf"), LinkOption.NOFOLLOW_LINKS)
                        ? "bind-host"
                        : "off"),
                "--directory=" + root,
                "--setenv=PATH=" + PATH,
                "--setenv=HOME=/root"));
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      cmd.add("--setenv=" + e.getKey() + "=" + e.getValue());
    }
    cmd.add("--");
    cmd.addAll(argv);
    return cmd;
  }
}
