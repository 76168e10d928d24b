package org.opdeploy.stream;

import org.opdeploy.error.BadInputException;

/** {@code --parent} names a version without a usable read-only snapshot (exit 2). */
public final class ParentNotFoundException extends BadInputException {
  public ParentNotFoundException(String message) {
    super(message);
  }
}
