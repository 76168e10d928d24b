package org.opdeploy.error;

/** Bad usage or bad input, detected before any side effect (exit 2). */
public class BadInputException extends OpdeployException {
  public BadInputException(String message) {
    super(ExitCode.BAD_INPUT, message);
  }

  public BadInputException(String message, Throwable cause) {
    super(ExitCode.BAD_INPUT, message, cause);
  }
}
