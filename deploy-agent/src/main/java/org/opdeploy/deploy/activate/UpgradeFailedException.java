package org.opdeploy.deploy.activate;

import org.opdeploy.error.OpdeployException;
import org.opdeploy.version.Version;

/**
 * An upgrade's version was activated but not healthy (or could not be started); the target was
 * switched back. Exit 1; {@link #rolledBackTo()} is null when there was nothing to switch back to.
 */
public class UpgradeFailedException extends OpdeployException {
  private final Version failed;
  private final Version rolledBackTo;

  public UpgradeFailedException(
      String message, Version failed, Version rolledBackTo, Throwable cause) {
    super(message, cause);
    this.failed = failed;
    this.rolledBackTo = rolledBackTo;
  }

  public Version failed() {
    return failed;
  }

  public Version rolledBackTo() {
    return rolledBackTo;
  }
}
