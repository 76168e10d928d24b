package org.opdeploy.golden;

import java.time.Duration;
import org.opdeploy.error.OpdeployException;

/**
 * A provisioning step exited non-zero or ran past {@code step-timeout} (exit 1). The message names
 * the step and ends with the last lines of its output, which is where the cause is.
 */
public class StepFailedException extends OpdeployException {
  static final int SHOWN_LINES = 15;

  private final String step;
  private final int stepExitCode;
  private final boolean timedOut;
  private final String outputTail;

  public StepFailedException(
      String step, int stepExitCode, boolean timedOut, Duration timeout, String outputTail) {
    super(describe(step, stepExitCode, timedOut, timeout, outputTail));
    this.step = step;
    this.stepExitCode = stepExitCode;
    this.timedOut = timedOut;
    this.outputTail = outputTail;
  }

  private static String describe(
      String step, int exit, boolean timedOut, Duration timeout, String tail) {
    String what =
        timedOut
            ? "ran longer than step-timeout "
                + DurationText.format(timeout)
                + " and was killed with all its processes"
            : "failed with exit code " + exit;
    String[] lines = tail.strip().split("\n");
    StringBuilder shown = new StringBuilder();
    for (int i = Math.max(0, lines.length - SHOWN_LINES); i < lines.length; i++) {
      shown.append("\n  | ").append(lines[i]);
    }
    return "golden step "
        + step
        + " "
        + what
        + "; fix it and run `opdeploy golden refresh` again"
        + (tail.isBlank() ? " (it printed nothing)" : "; its last output:" + shown);
  }

  /** The step as the spec names it ({@code steps/10-packages.sh}). */
  public String step() {
    return step;
  }

  /** Its exit code, or -1 when it was killed for taking too long. */
  public int stepExitCode() {
    return stepExitCode;
  }

  public boolean timedOut() {
    return timedOut;
  }

  public String outputTail() {
    return outputTail;
  }
}
