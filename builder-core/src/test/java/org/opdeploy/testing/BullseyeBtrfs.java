package org.opdeploy.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;

/**
 * Debian 11's {@code btrfs} (btrfs-progs 5.10), fetched and cached by {@code
 * ci/btrfs-progs-bullseye.sh}: the receiver of the oldest target opdeploy supports.
 */
public final class BullseyeBtrfs {
  private BullseyeBtrfs() {}

  /** The path of the cached wrapper that runs bullseye's {@code btrfs}; fetches it on first use. */
  public static Path path() {
    Path repository = Path.of("").toAbsolutePath();
    while (repository != null
        && !Files.isRegularFile(repository.resolve("ci/btrfs-progs-bullseye.sh"))) {
      repository = repository.getParent();
    }
    if (repository == null) {
      throw new AssertionError(
          "ci/btrfs-progs-bullseye.sh not found above " + Path.of("").toAbsolutePath());
    }
    try {
      String out =
          new ProcessRunner()
              .run(
                  ProcessSpec.of(
                          "bash", repository.resolve("ci/btrfs-progs-bullseye.sh").toString())
                      .withTimeout(java.time.Duration.ofMinutes(5)))
              .stdout()
              .strip();
      return Path.of(out.lines().reduce((a, b) -> b).orElseThrow());
    } catch (Exception e) {
      throw new AssertionError(
          "cannot get Debian 11's btrfs-progs (needs apt-get, dpkg-deb and Debian's mirror): "
              + e.getMessage(),
          e);
    }
  }
}
