package org.opdeploy.container;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.opdeploy.error.OpdeployException;

/**
 * Runs a program as root with a directory tree as its {@code /}: {@code systemd-nspawn} ({@link
 * NspawnContainer}) or {@code chroot} ({@link ChrootContainer}). The program gets a clean
 * environment (only {@code env} plus a sane PATH), its own PID namespace so nothing it starts
 * outlives it, and is killed with all its processes when {@code timeout} passes.
 */
public interface Container {

  /** {@code nspawn} or {@code chroot}: what users pass to {@code --runner}. */
  String name();

  /**
   * Runs {@code argv} inside {@code root}.
   *
   * @param env variables the program sees, on top of PATH, HOME and TERM-less defaults
   * @param output receives each line of merged stdout and stderr as it comes (may be ignored)
   * @return the exit code and the end of the output; a timed-out run is a result too, so the caller
   *     can say which step it was
   * @throws OpdeployException when the runner itself cannot start (not installed, bad root)
   */
  ContainerResult run(
      Path root,
      List<String> argv,
      Map<String, String> env,
      Duration timeout,
      Consumer<String> output)
      throws OpdeployException;

  /** The PATH programs see inside the golden. */
  String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}
