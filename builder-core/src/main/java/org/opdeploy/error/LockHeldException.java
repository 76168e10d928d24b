package org.opdeploy.error;

/** Another run holds the lock (exit 4). */
public class LockHeldException extends OpdeployException {
  public LockHeldException(String message) {
    super(ExitCode.LOCKED, message);
  }
}
