package org.opdeploy.snapshot;

import org.opdeploy.error.BadInputException;

/** The version already has a snapshot; snapshots are immutable (exit 2). */
public final class SnapshotExistsException extends BadInputException {
  public SnapshotExistsException(String message) {
    super(message);
  }
}
