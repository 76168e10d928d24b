package org.opdeploy.container;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;

/**
 * {@code --runner auto}: nspawn when {@code systemd-nspawn} is installed and actually works here
 * (inside some CI containers it is installed but cannot create its namespaces), else chroot. The
 * choice is made once, on the first run, by starting {@code /bin/sh -c :} in the tree with nspawn.
 */
public final class AutoContainer implements Container {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);

  private final Container nspawn;
  private final Container chroot;
  private final ProgressListener listener;
  private Container chosen;

  public AutoContainer(Container nspawn, Container chroot, ProgressListener listener) {
    this.nspawn = nspawn;
    this.chroot = chroot;
    this.listener = listener;
  }

  /** The runner in use once chosen; {@code auto} before the first run. */
  @Override
  public synchronized String name() {
    return chosen == null ? "auto" : chosen.name();
  }

  @Override
  public ContainerResult run(
      Path root,
      List<String> argv,
      Map<String, String> env,
      Duration timeout,
      Consumer<String> output)
      throws OpdeployException {
    return choose(root).run(root, argv, env, timeout, output);
  }

  private synchronized Container choose(Path root) throws OpdeployException {
    if (chosen != null) {
      return chosen;
    }
    if (!onPath("systemd-nspawn")) {
      listener.info(
          "systemd-nspawn is not installed (apt-get install systemd-container): using chroot");
      chosen = chroot;
    } else {
      ContainerResult probe =
          nspawn.run(root, List.of("/bin/sh", "-c", ":"), Map.of(), PROBE_TIMEOUT, line -> {});
      if (probe.succeeded()) {
        chosen = nspawn;
      } else {
        listener.warn(
            "systemd-nspawn does not work here ("
                + lastLine(probe.outputTail())
                + "): using chroot");
        chosen = chroot;
      }
    }
    return chosen;
  }

  static boolean onPath(String program) {
    for (String dir :
        System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1].isBlank() ? "no output" : lines[lines.length - 1].strip();
  }
}
