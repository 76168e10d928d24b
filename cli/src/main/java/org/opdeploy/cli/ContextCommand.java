package org.opdeploy.cli;

import java.util.concurrent.Callable;
import org.opdeploy.error.OpdeployException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of every executable subcommand: hands it the {@link CommandContext} and maps its result to an exit code. */
public abstract class ContextCommand implements Callable<Integer> {
  @Spec protected CommandSpec spec;

  @Override
  public final Integer call() throws OpdeployException {
    execute(((OpdeployCommand) spec.root().userObject()).context());
    return 0;
  }

  /** Does the work; a failure is an {@link OpdeployException} carrying the exit code. */
  protected abstract void execute(CommandContext context) throws OpdeployException;
}
