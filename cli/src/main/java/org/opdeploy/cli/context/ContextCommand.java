package org.opdeploy.cli.context;

import java.util.concurrent.Callable;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.OpdeployException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every executable subcommand: hands it the {@link CommandContext} and maps its result to
 * an exit code.
 */
public abstract class ContextCommand implements Callable<Integer> {
  @Spec protected CommandSpec spec;

  private ExitCode exitCode = ExitCode.OK;

  @Override
  public final Integer call() throws OpdeployException {
    CommandContext context = ((OpdeployCommand) spec.root().userObject()).context();
    context.running(spec.qualifiedName().replaceFirst("^\\S+ ", ""));
    execute(context);
    return exitCode.code();
  }

  /**
   * For a command whose success has more than one answer ({@code check-new}): the code to exit
   * with.
   */
  protected void exitWith(ExitCode code) {
    this.exitCode = code;
  }

  /** Does the work; a failure is an {@link OpdeployException} carrying the exit code. */
  protected abstract void execute(CommandContext context) throws OpdeployException;
}
