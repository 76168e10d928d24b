package org.opdeploy.deploy.receive;

import org.opdeploy.error.OpdeployException;

/**
 * A proven incremental stream that this target could not apply for a reason of its own, not of the
 * release: its parent vanished, {@code btrfs receive} failed on it, or it attached to another
 * subvolume carrying the parent's received uuid (a second root, a re-received copy). The full
 * stream of the same release does not depend on any of that; deploy falls back to it once.
 */
public class IncrementalNotApplicableException extends OpdeployException {
  public IncrementalNotApplicableException(String message) {
    super(message);
  }

  public IncrementalNotApplicableException(String message, Throwable cause) {
    super(message, cause);
  }
}
