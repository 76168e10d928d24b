package org.opdeploy.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.opdeploy.cli.context.OpdeployCommand;
import picocli.CommandLine;

/**
 * The whole command model, every subcommand registered, for what is generated from it at build
 * time: the man page and the bash, zsh and fish completion of the Debian package.
 */
public final class CommandModel {
  private CommandModel() {}

  /** {@code opdeploy} with all its subcommands; running it is not intended. */
  public static CommandLine full() {
    PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
    CommandLine commandLine = new CommandLine(new OpdeployCommand(Map.of(), nowhere, nowhere));
    Subcommands.register(commandLine, new String[0]);
    return commandLine;
  }
}
