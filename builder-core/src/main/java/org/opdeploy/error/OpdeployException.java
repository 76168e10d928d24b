package org.opdeploy.error;

/**
 * A failure the user can act on: its message is one line saying what failed, on what, and what to
 * do next; {@link #exitCode()} is what the process exits with.
 */
public class OpdeployException extends Exception {
  private final ExitCode exitCode;

  public OpdeployException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public OpdeployException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** An operation failed (exit 1). */
  public OpdeployException(String message) {
    this(ExitCode.FAILED, message);
  }

  /** An operation failed (exit 1). */
  public OpdeployException(String message, Throwable cause) {
    this(ExitCode.FAILED, message, cause);
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
