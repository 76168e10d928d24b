package org.opdeploy.cli.help;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The shape of every subcommand's help: a short synopsis, the command's own options first, then the
 * global options and only the settings it uses in sections of their own, and the footer (the
 * example) printed as written, never wrapped inside a word, so that it copy-pastes.
 */
public final class HelpLayout {
  static final String GLOBAL_SECTION = "globalOptions";
  static final String SETTINGS_SECTION = "settings";
  private static final List<String> GLOBAL =
      List.of("--json", "--verbose", "--quiet", "--stacktrace", "--config");

  /** Global options only some commands honour: listed with the global ones where they apply. */
  private static final List<String> RUN_OPTIONS = List.of("--dry-run", "--wait");

  private HelpLayout() {}

  /** Lays out the help of every subcommand below {@code root} (the root keeps picocli's). */
  public static void install(CommandLine root) {
    root.getHelpSectionMap()
        .put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, HelpLayout::footer);
    for (CommandLine sub : root.getSubcommands().values()) {
      // picocli's own completion command reads no setting and lays out its help itself.
      if (!sub.getCommandName().equals("generate-completion")) {
        installBelow(sub);
      }
    }
  }

  private static void installBelow(CommandLine command) {
    Map<String, CommandLine.IHelpSectionRenderer> sections = command.getHelpSectionMap();
    sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS, HelpLayout::synopsis);
    sections.put(
        CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST,
        help -> section(help, "Options:", ownOptions(help.commandSpec())));
    sections.put(
        GLOBAL_SECTION,
        help ->
            section(
                help,
                "Global options:",
                names(
                    help,
                    join(
                        GLOBAL,
                        SettingsUse.of(help.commandSpec()).stream()
                            .filter(RUN_OPTIONS::contains)
                            .toList()))));
    sections.put(
        SETTINGS_SECTION,
        help ->
            section(
                help,
                "Settings (flags win over the config file):",
                names(
                    help,
                    SettingsUse.of(help.commandSpec()).stream()
                        .filter(o -> !RUN_OPTIONS.contains(o))
                        .toList())));
    sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, HelpLayout::footer);
    // A group's subcommands: a section of their own, like the option sections above them.
    command.getCommandSpec().usageMessage().commandListHeading("%nCommands:%n");
    List<String> keys = new ArrayList<>(command.getHelpSectionKeys());
    keys.removeAll(List.of(GLOBAL_SECTION, SETTINGS_SECTION));
    keys.add(
        keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST) + 1,
        GLOBAL_SECTION);
    keys.add(keys.indexOf(GLOBAL_SECTION) + 1, SETTINGS_SECTION);
    command.setHelpSectionKeys(keys);
    for (CommandLine sub : command.getSubcommands().values()) {
      installBelow(sub);
    }
  }

  /**
   * {@code Usage: opdeploy send [OPTIONS] --out=DIR VERSION}: required options and parameters only.
   */
  private static String synopsis(CommandLine.Help help) {
    CommandSpec spec = help.commandSpec();
    // picocli prints the "Usage: " heading itself.
    StringBuilder line = new StringBuilder(spec.qualifiedName());
    if (!spec.subcommands().isEmpty()) {
      return line.append(" COMMAND [OPTIONS]").append(System.lineSeparator()).toString();
    }
    line.append(" [OPTIONS]");
    for (OptionSpec option : ownOptions(spec)) {
      if (option.required() && option.group() == null) {
        line.append(' ').append(option.longestName()).append('=').append(option.paramLabel());
      }
    }
    for (CommandLine.Model.ArgGroupSpec group : spec.argGroups()) {
      // An exclusive choice (release VERSION|--nightly): its members, one of which is given.
      line.append(" (")
          .append(
              group.args().stream()
                  .map(a -> a instanceof OptionSpec o ? o.longestName() : a.paramLabel())
                  .collect(Collectors.joining(" | ")))
          .append(')');
    }
    for (PositionalParamSpec parameter : spec.positionalParameters()) {
      if (parameter.group() != null) {
        continue;
      }
      boolean optional = parameter.arity().min() == 0;
      line.append(' ')
          .append(optional ? "[" : "")
          .append(parameter.paramLabel())
          .append(optional ? "]" : "");
    }
    return line.append(System.lineSeparator()).toString();
  }

  /** The options declared by the command itself, help and version last. */
  private static List<OptionSpec> ownOptions(CommandSpec spec) {
    List<OptionSpec> own =
        spec.options().stream()
            .filter(o -> !o.inherited() && !o.hidden())
            .filter(o -> !o.usageHelp() && !o.versionHelp())
            .collect(Collectors.toCollection(ArrayList::new));
    spec.options().stream()
        .filter(o -> !o.inherited() && (o.usageHelp() || o.versionHelp()))
        .forEach(own::add);
    return own;
  }

  private static List<String> join(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  private static List<OptionSpec> names(CommandLine.Help help, List<String> names) {
    List<OptionSpec> options = new ArrayList<>();
    for (String name : names) {
      OptionSpec option = help.commandSpec().findOption(name);
      if (option != null) {
        options.add(option);
      }
    }
    return options;
  }

  private static String options(CommandLine.Help help, List<OptionSpec> options) {
    // In the order given: the command's own options first, help and version last.
    return options.isEmpty()
        ? ""
        : help.optionListExcludingGroups(
            options, help.createDefaultLayout(), null, help.parameterLabelRenderer());
  }

  private static String section(CommandLine.Help help, String heading, List<OptionSpec> options) {
    return options.isEmpty()
        ? ""
        : System.lineSeparator() + heading + System.lineSeparator() + options(help, options);
  }

  /** The footer as written: an example wrapped at the terminal's width would not paste. */
  private static String footer(CommandLine.Help help) {
    String[] lines = help.commandSpec().usageMessage().footer();
    return lines.length == 0
        ? ""
        : String.join(System.lineSeparator(), lines) + System.lineSeparator();
  }
}
