package org.opdeploy.error;

import java.nio.file.Path;

/**
 * Bad input found in a file (exit 2), with the file and the line the complaint is about (0 when no
 * line can be named), so that CI can annotate that line.
 */
public final class LocatedInputException extends BadInputException {
  private final transient Path file;
  private final int line;

  public LocatedInputException(String message, Path file, int line) {
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
