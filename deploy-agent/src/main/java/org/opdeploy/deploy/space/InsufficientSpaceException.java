package org.opdeploy.deploy.space;

import org.opdeploy.error.BadInputException;

/**
 * A release does not fit in the free space of the target's filesystem: refused before anything is
 * downloaded or received (exit 2, like any input the target cannot take).
 */
public class InsufficientSpaceException extends BadInputException {
  private final long needed;
  private final long free;

  public InsufficientSpaceException(String message, long needed, long free) {
    super(message);
    this.needed = needed;
    this.free = free;
  }

  public long needed() {
    return needed;
  }

  public long free() {
    return free;
  }
}
