package org.opdeploy.container;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.process.ProcessRunner;

/**
 * {@code chroot} for hosts without a working {@code systemd-nspawn}. The program runs under {@code
 * unshare --mount --pid --fork --kill-child}: /proc, /sys and /dev are bind-mounted inside a
 * private mount namespace, so the kernel unmounts them when the run ends however it ends (exit,
 * failure, timeout, a killed JVM) and the host never sees them; and the program is PID 1 of its own
 * PID namespace, so daemons it starts die with it. The environment is emptied ({@code env -i}) so
 * host secrets never reach a step.
 */
public final class ChrootContainer extends ProcessContainer {
  /**
   * Runs as the host's sh with the golden as $1 and {@code env -i K=V... chroot ROOT argv} after.
   */
  private static final String ENTER =
      String.join(
          "\n",
          "set -e",
          "r=$1; shift",
          "mkdir -p \"$r/proc\" \"$r/sys\" \"$r/dev\"",
          "mount --rbind /dev \"$r/dev\"",
          "mount -t proc -o nosuid,nodev,noexec proc \"$r/proc\"",
          "mount --rbind /sys \"$r/sys\"",
          // The host's DNS for the run, without writing the host's file into the golden.
          "if [ -f \"$r/etc/resolv.conf\" ] && [ ! -L \"$r/etc/resolv.conf\" ]; then",
          "  mount --bind /etc/resolv.conf \"$r/etc/resolv.conf\"",
          "fi",
          "exec env -i \"$@\"");

  private final MountTable mounts = new MountTable();

  public ChrootContainer(ProcessRunner runner) {
    super(runner);
  }

  @Override
  public String name() {
    return "chroot";
  }

  @Override
  List<String> command(Path root, List<String> argv, Map<String, String> env) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "--pid",
                "--fork",
                "--kill-child",
                "--",
                "/bin/sh",
                "-c",
                ENTER,
                "opdeploy-chroot",
                root.toString(),
                "PATH=" + PATH,
                "HOME=/root"));
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      cmd.add(e.getKey() + "=" + e.getValue());
    }
    cmd.add("chroot");
    cmd.add(root.toString());
    cmd.addAll(argv);
    return cmd;
  }

  /**
   * Waits out the kernel's asynchronous teardown of a killed PID namespace. The private mount
   * namespace already guarantees the host sees no mount; the check proves it and repairs the host
   * if some future change ever mounted outside the namespace.
   */
  @Override
  void afterRun(Path root) throws OpdeployException {
    RootedProcesses.killAll(root);
    mounts.unmountAllUnder(root, runner);
  }
}
