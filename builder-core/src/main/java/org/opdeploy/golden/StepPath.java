package org.opdeploy.golden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.Printable;

/**
 * Where a provisioning step may live: inside the spec folder, given relative to it, so that the
 * spec's digest ({@code spec_sha256} in every manifest) covers what the step does. {@code
 * ../../x.sh}, {@code /abs/x.sh} and a symbolic link leading out are refused.
 */
public final class StepPath {
  private StepPath() {}

  /**
   * {@code value} resolved in {@code folder}.
   *
   * @param where the entry, for the message ({@code steps[0]})
   * @throws BadInputException the reason, without the spec file's name (the caller adds it)
   */
  public static Path inside(Path folder, String value, String where) throws BadInputException {
    if (value.startsWith("/")) {
      throw new BadInputException(
          where
              + ": step "
              + Printable.of(value)
              + " is an absolute path: put the"
              + " script in the spec folder and give its path relative to it (e.g. steps/10-packages.sh)");
    }
    Path path = folder.resolve(value).normalize();
    if (!path.startsWith(folder) || path.equals(folder)) {
      throw new BadInputException(
          where
              + ": step "
              + Printable.of(value)
              + " leaves the spec folder "
              + Printable.of(folder)
              + ": put the script in the spec folder so that spec_sha256 covers it");
    }
    try {
      if (Files.exists(path) && !path.toRealPath().startsWith(folder.toRealPath())) {
        throw new BadInputException(
            where
                + ": step "
                + Printable.of(value)
                + " is a link leading out of the"
                + " spec folder "
                + Printable.of(folder)
                + ": put the script itself in the spec folder");
      }
    } catch (IOException e) {
      throw new BadInputException(
          where + ": cannot resolve step " + Printable.of(value) + ": " + e.getMessage());
    }
    return path;
  }
}
