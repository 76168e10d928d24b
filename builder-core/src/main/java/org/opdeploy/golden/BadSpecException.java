package org.opdeploy.golden;

import java.nio.file.Path;
import org.opdeploy.error.BadInputException;

/**
 * A golden spec refused (exit 2), with the spec file and the line the complaint is about (0 when no
 * line can be named), so that CI can annotate the line.
 */
public final class BadSpecException extends BadInputException {
  private final transient Path file;
  private final int line;

  public BadSpecException(String message, Path file, int line) {
    super(message);
    this.file = file;
    this.line = line;
  }

  public Path file() {
    return file;
  }

  /** 1-based; 0 when unknown. */
  public int line() {
    return line;
  }
}
