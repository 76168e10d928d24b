package org.opdeploy.packaging;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Native zsh completion ({@code _opdeploy}, for {@code vendor-completions}) from the command model:
 * one function per command, its options with their descriptions, its subcommands described, file
 * names where an option takes a path, the candidates where it has them.
 */
final class ZshCompletion {
  private final CommandSpec root;

  ZshCompletion(CommandSpec root) {
    this.root = root;
  }

  String render() {
    StringBuilder out =
        new StringBuilder("#compdef opdeploy\n# Generated from opdeploy's command model.\n\n");
    function(out, root, "_opdeploy");
    out.append("_opdeploy \"$@\"\n");
    return out.toString();
  }

  private void function(StringBuilder out, CommandSpec spec, String name) {
    List<CommandSpec> subs = new ArrayList<>();
    for (CommandLine sub : spec.subcommands().values()) {
      if (!sub.getCommandSpec().usageMessage().hidden() && !subs.contains(sub.getCommandSpec())) {
        subs.add(sub.getCommandSpec());
      }
    }
    out.append(name)
        .append("() {\n  local curcontext=\"$curcontext\" state line\n  typeset -A opt_args\n");
    out.append("  _arguments -C -s \\\n");
    for (OptionSpec option : spec.options()) {
      if (!option.hidden()) {
        out.append("    ").append(option(option)).append(" \\\n");
      }
    }
    if (subs.isEmpty()) {
      out.append("    '*:argument:_files'\n}\n\n");
      return;
    }
    out.append("    '1: :->command' \\\n    '*:: :->args'\n");
    out.append("  case $state in\n    command)\n      local -a commands\n      commands=(\n");
    for (CommandSpec sub : subs) {
      out.append("        ")
          .append(
              quote(
                  sub.name().replace(":", "\\:")
                      + ":"
                      + ManPage.description(sub).replace(":", "\\:")))
          .append('\n');
    }
    out.append(
        "      )\n      _describe -t commands command commands ;;\n    args)\n      case $line[1] in\n");
    for (CommandSpec sub : subs) {
      out.append("        ")
          .append(String.join("|", names(sub)))
          .append(") ")
          .append(name)
          .append('_')
          .append(sub.name().replace('-', '_'))
          .append(" ;;\n");
    }
    out.append("      esac ;;\n  esac\n}\n\n");
    for (CommandSpec sub : subs) {
      function(out, sub, name + "_" + sub.name().replace('-', '_'));
    }
  }

  private static List<String> names(CommandSpec spec) {
    List<String> names = new ArrayList<>(List.of(spec.name()));
    names.addAll(List.of(spec.aliases()));
    return names;
  }

  private static String option(OptionSpec option) {
    String description =
        "["
            + String.join(" ", option.description())
                .replace("\\", "\\\\")
                .replace("[", "\\[")
                .replace("]", "\\]")
                .replace(":", "\\:")
            + "]";
    String value = "";
    if (option.arity().max() > 0) {
      String label = option.paramLabel().replace(":", "\\:");
      List<String> candidates = new ArrayList<>();
      if (option.completionCandidates() != null) {
        option.completionCandidates().forEach(candidates::add);
      }
      String action =
          !candidates.isEmpty()
              ? "(" + String.join(" ", candidates) + ")"
              : Path.class.isAssignableFrom(option.type()) ? "_files" : "";
      value = ":" + label + ":" + action;
    }
    String[] names = option.names();
    if (names.length == 1) {
      return quote(names[0] + description + value);
    }
    String exclusion = "(" + String.join(" ", names) + ")";
    return quote(exclusion) + "{" + String.join(",", names) + "}" + quote(description + value);
  }

  /** A single-quoted zsh word. */
  static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }
}
