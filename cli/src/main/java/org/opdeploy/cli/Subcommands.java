package org.opdeploy.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.opdeploy.cli.command.ActivateCommand;
import org.opdeploy.cli.command.AuditCommand;
import org.opdeploy.cli.command.CheckNewCommand;
import org.opdeploy.cli.command.DemoCommand;
import org.opdeploy.cli.command.DeployCommand;
import org.opdeploy.cli.command.FetchCommand;
import org.opdeploy.cli.command.GoldenCommand;
import org.opdeploy.cli.command.ListCommand;
import org.opdeploy.cli.command.PruneCommand;
import org.opdeploy.cli.command.PublishCommand;
import org.opdeploy.cli.command.ReleaseCommand;
import org.opdeploy.cli.command.RollbackCommand;
import org.opdeploy.cli.command.SendCommand;
import org.opdeploy.cli.command.SnapshotCommand;
import org.opdeploy.cli.command.StatusCommand;
import org.opdeploy.cli.command.TargetCommand;
import org.opdeploy.cli.command.UpgradeCommand;
import org.opdeploy.cli.command.VerifyCommand;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The subcommands of {@code opdeploy}, registered only when the command line can use them. picocli
 * builds a subcommand's model by reflection, every inherited setting flag included, and building
 * all of them took about a third of a run's start-up; a command line names the one it runs, so only
 * the subcommands whose name appears in it are registered. When none does (help, a typo, no
 * subcommand), or for shell completion, which describes them all, every one is.
 */
final class Subcommands {
  /** In the order the usage help lists them. */
  private static final List<Class<?>> ALL =
      List.of(
          GoldenCommand.class,
          SnapshotCommand.class,
          SendCommand.class,
          PublishCommand.class,
          ReleaseCommand.class,
          ListCommand.class,
          PruneCommand.class,
          TargetCommand.class,
          FetchCommand.class,
          VerifyCommand.class,
          DeployCommand.class,
          ActivateCommand.class,
          UpgradeCommand.class,
          CheckNewCommand.class,
          RollbackCommand.class,
          StatusCommand.class,
          AuditCommand.class,
          DemoCommand.class,
          AutoComplete.GenerateCompletion.class);

  private Subcommands() {}

  /** Adds to {@code root} the subcommands {@code args} may run. */
  static void register(CommandLine root, String[] args) {
    // A command line may repeat a word (one path for two options): Set.of would throw.
    for (Class<?> command : needed(Set.copyOf(Arrays.asList(args)))) {
      root.addSubcommand(command);
    }
  }

  static List<Class<?>> needed(Set<String> args) {
    List<Class<?>> named = new ArrayList<>();
    for (Class<?> command : ALL) {
      if (names(command).stream().anyMatch(args::contains)) {
        named.add(command);
      }
    }
    return named.isEmpty() || named.contains(AutoComplete.GenerateCompletion.class) ? ALL : named;
  }

  private static List<String> names(Class<?> command) {
    Command annotation = command.getAnnotation(Command.class);
    List<String> names = new ArrayList<>(List.of(annotation.aliases()));
    names.add(annotation.name());
    return names;
  }
}
