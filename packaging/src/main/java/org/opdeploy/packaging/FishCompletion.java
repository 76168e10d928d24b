package org.opdeploy.packaging;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * fish completion ({@code vendor_completions.d/opdeploy.fish}) from the command model: the commands
 * and subcommands with their descriptions, each command's own options after its name, and the
 * global options everywhere.
 */
final class FishCompletion {
  private final CommandSpec root;

  FishCompletion(CommandSpec root) {
    this.root = root;
  }

  String render() {
    StringBuilder out =
        new StringBuilder("# Generated from opdeploy's command model.\ncomplete -c opdeploy -f\n");
    for (OptionSpec option : root.options()) {
      option(out, option, null);
    }
    List<CommandSpec> commands = visible(root);
    List<String> names = commands.stream().map(CommandSpec::name).toList();
    for (CommandSpec command : commands) {
      out.append("complete -c opdeploy -n '__fish_use_subcommand' -a ")
          .append(quote(command.name()))
          .append(" -d ")
          .append(quote(ManPage.description(command)))
          .append('\n');
      List<CommandSpec> subs = visible(command);
      String inCommand = "__fish_seen_subcommand_from " + command.name();
      if (!subs.isEmpty()) {
        String subNames = String.join(" ", subs.stream().map(CommandSpec::name).toList());
        for (CommandSpec sub : subs) {
          out.append("complete -c opdeploy -n ")
              .append(quote(inCommand + "; and not __fish_seen_subcommand_from " + subNames))
              .append(" -a ")
              .append(quote(sub.name()))
              .append(" -d ")
              .append(quote(ManPage.description(sub)))
              .append('\n');
          for (OptionSpec option : sub.options()) {
            if (!option.inherited()) {
              option(out, option, inCommand + "; and __fish_seen_subcommand_from " + sub.name());
            }
          }
        }
      }
      for (OptionSpec option : command.options()) {
        if (!option.inherited()) {
          option(out, option, inCommand);
        }
      }
    }
    return out.toString();
  }

  private static List<CommandSpec> visible(CommandSpec spec) {
    List<CommandSpec> subs = new ArrayList<>();
    for (CommandLine sub : spec.subcommands().values()) {
      CommandSpec s = sub.getCommandSpec();
      if (!s.usageMessage().hidden() && !subs.contains(s)) {
        subs.add(s);
      }
    }
    return subs;
  }

  private static void option(StringBuilder out, OptionSpec option, String condition) {
    if (option.hidden()) {
      return;
    }
    out.append("complete -c opdeploy");
    if (condition != null) {
      out.append(" -n ").append(quote(condition));
    }
    for (String name : option.names()) {
      out.append(name.startsWith("--") ? " -l " + name.substring(2) : " -s " + name.substring(1));
    }
    if (option.arity().max() > 0) {
      List<String> candidates = new ArrayList<>();
      if (option.completionCandidates() != null) {
        option.completionCandidates().forEach(candidates::add);
      }
      if (!candidates.isEmpty()) {
        out.append(" -x -a ").append(quote(String.join(" ", candidates)));
      } else if (Path.class.isAssignableFrom(option.type())) {
        out.append(" -r -F");
      } else {
        out.append(" -x");
      }
    }
    out.append(" -d ").append(quote(String.join(" ", option.description()))).append('\n');
  }

  static String quote(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
