package org.opdeploy.error;

/** Process exit codes, fixed by DESIGN.md. */
public enum ExitCode {
  OK(0),
  FAILED(1),
  BAD_INPUT(2),
  VERIFICATION_FAILED(3),
  LOCKED(4),
  /** {@code check-new}: the source holds no release newer than the active one (not a failure). */
  NOTHING_NEWER(5);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
