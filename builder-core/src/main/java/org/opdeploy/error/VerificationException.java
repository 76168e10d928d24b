package org.opdeploy.error;

/** A checksum, signature, trust, freshness or downgrade check failed (exit 3). */
public class VerificationException extends OpdeployException {
  public VerificationException(String message) {
    super(ExitCode.VERIFICATION_FAILED, message);
  }

  public VerificationException(String message, Throwable cause) {
    super(ExitCode.VERIFICATION_FAILED, message, cause);
  }
}
