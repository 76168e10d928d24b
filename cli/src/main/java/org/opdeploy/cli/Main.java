package org.opdeploy.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.cli.context.OpdeployCommand;
import org.opdeploy.cli.help.HelpLayout;
import org.opdeploy.cli.output.Console;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.LocatedInputException;
import org.opdeploy.error.OpdeployException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Entry point: parses, runs, and turns every failure into one line and the documented exit code.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** Runs one command line; returns the exit code. Used by tests to run in-process. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    OpdeployCommand root = new OpdeployCommand(env, out, err);
    CommandLine commandLine = new CommandLine(root);
    Subcommands.register(commandLine, args);
    HelpLayout.install(commandLine);
    commandLine.setOut(new java.io.PrintWriter(out, true));
    commandLine.setErr(new java.io.PrintWriter(err, true));
    commandLine.setExitCodeExceptionMapper(e -> ExitCode.FAILED.code());
    commandLine.setParameterExceptionHandler((e, parsed) -> badUsage(e, args, out, err));
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> failed(root, e, cmd.getCommandSpec().qualifiedName(" ")));
    return commandLine.execute(args);
  }

  private static int badUsage(
      ParameterException e, String[] args, PrintStream out, PrintStream err) {
    CommandLine cmd = e.getCommandLine();
    // The options were not all parsed, so --json is looked for among the words themselves.
    boolean json = Arrays.asList(args).contains("--json");
    new Console(out, err, json, false, false).error(e.getMessage(), ExitCode.BAD_INPUT.code());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, cmd.getErr());
    cmd.getErr().println("See '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
    return ExitCode.BAD_INPUT.code();
  }

  private static int failed(OpdeployCommand root, Exception e, String command) {
    CommandContext context = root.context();
    ExitCode code;
    String message;
    if (e instanceof OpdeployException known) {
      code = known.exitCode();
      message = known.getMessage();
    } else {
      code = ExitCode.FAILED;
      message =
          "internal error: "
              + e
              + (context.stacktrace() ? "" : " (rerun with --stacktrace for details)");
    }
    context.endProgressLine();
    if (e instanceof LocatedInputException located) {
      context.actions().error(message, located.file(), located.line());
    } else {
      context.actions().error(message);
    }
    try {
      context.actions().failureSummary(command, message, code.code());
    } catch (OpdeployException summaryUnwritable) {
      context.console().warn(summaryUnwritable.getMessage());
    }
    context.console().error(message, code.code());
    if (context.stacktrace()) {
      e.printStackTrace(context.console().diagnostics());
    }
    return code.code();
  }
}
