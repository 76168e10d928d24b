package org.opdeploy.process;

import org.opdeploy.error.OpdeployException;

/** A required program is not installed; the message names the package that provides it. */
public class ProgramNotFoundException extends OpdeployException {
  public ProgramNotFoundException(String program, String packageHint) {
    super(
        program
            + " not found: install "
            + packageHint
            + " (e.g. apt-get install "
            + packageHint
            + ")");
  }
}
