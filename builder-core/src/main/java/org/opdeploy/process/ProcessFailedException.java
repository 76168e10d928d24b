package org.opdeploy.process;

import org.opdeploy.error.OpdeployException;

/** A program exited non-zero, timed out or could not be fed; carries what a user needs to see. */
public class ProcessFailedException extends OpdeployException {
  private final String commandLine;
  private final int processExitCode;
  private final String outputTail;

  public ProcessFailedException(
      String commandLine, int processExitCode, String outputTail, String reason, Throwable cause) {
    super(describe(commandLine, reason, outputTail), cause);
    this.commandLine = commandLine;
    this.processExitCode = processExitCode;
    this.outputTail = outputTail;
  }

  private static String describe(String commandLine, String reason, String outputTail) {
    String tail = lastLine(outputTail);
    return "`" + commandLine + "` " + reason + (tail.isEmpty() ? "" : ": " + tail);
  }

  /** The last non-blank line, which is where programs put their error. */
  static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines.length == 0 ? "" : lines[lines.length - 1].strip();
  }

  public String commandLine() {
    return commandLine;
  }

  /** The program's exit code, or -1 when it was killed or never ran. */
  public int processExitCode() {
    return processExitCode;
  }

  /** The end of the program's output (stderr, or stdout+stderr when merged). */
  public String outputTail() {
    return outputTail;
  }
}
