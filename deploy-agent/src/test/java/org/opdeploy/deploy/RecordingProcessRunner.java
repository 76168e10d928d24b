package org.opdeploy.deploy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.opdeploy.process.ProcessFailedException;
import org.opdeploy.process.ProcessResult;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;
import org.opdeploy.process.ProgramNotFoundException;

/** The real runner, remembering every command line it ran: tests assert what was (not) started. */
final class RecordingProcessRunner extends ProcessRunner {
  private final List<String> commands = Collections.synchronizedList(new ArrayList<>());

  RecordingProcessRunner() {
    super();
  }

  /**
   * Children draw their environment from {@code parentEnvironment} (a PATH with other programs).
   */
  RecordingProcessRunner(java.util.Map<String, String> parentEnvironment) {
    super(parentEnvironment);
  }

  @Override
  public ProcessResult runAllowingFailure(ProcessSpec spec)
      throws ProcessFailedException, ProgramNotFoundException {
    commands.add(spec.commandLine());
    return super.runAllowingFailure(spec);
  }

  List<String> commands() {
    return List.copyOf(commands);
  }

  boolean ran(String fragment) {
    return commands().stream().anyMatch(c -> c.contains(fragment));
  }

  void clear() {
    commands.clear();
  }
}
