package org.opdeploy.container;

import java.util.Locale;
import org.opdeploy.error.BadInputException;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.progress.ProgressListener;

/** Turns the {@code --runner auto|nspawn|chroot} option into a {@link Container}. */
public final class ContainerFactory {
  private final ProcessRunner runner;
  private final ProgressListener listener;

  public ContainerFactory(ProcessRunner runner, ProgressListener listener) {
    this.runner = runner;
    this.listener = listener;
  }

  /**
   * @param name {@code auto}, {@code nspawn} or {@code chroot} (case-insensitive; null means auto)
   * @throws BadInputException (exit 2) for anything else
   */
  public Container create(String name) throws BadInputException {
    String runnerName = name == null ? "auto" : name.strip().toLowerCase(Locale.ROOT);
    return switch (runnerName) {
      case "nspawn" -> new NspawnContainer(runner);
      case "chroot" -> new ChrootContainer(runner);
      case "auto" ->
          new AutoContainer(new NspawnContainer(runner), new ChrootContainer(runner), listener);
      default ->
          throw new BadInputException(
              "unknown runner '" + name + "': use --runner auto, nspawn or chroot");
    };
  }
}
