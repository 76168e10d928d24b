package org.opdeploy.packaging;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * opdeploy(1) in roff, written straight from the command model: the global options, then every
 * command with its synopsis, description and own options, then exit status and files. (picocli's
 * ManPageGenerator writes AsciiDoc, which would need asciidoctor at build time.)
 */
final class ManPage {
  private final CommandSpec root;
  private final String version;
  private final Instant date;

  ManPage(CommandSpec root, String version, Instant date) {
    this.root = root;
    this.version = version;
    this.date = date;
  }

  String render() {
    StringBuilder out = new StringBuilder();
    out.append(".TH OPDEPLOY 1 \"")
        .append(date.atOffset(ZoneOffset.UTC).toLocalDate())
        .append("\" \"opdeploy ")
        .append(escape(version))
        .append("\" \"opdeploy manual\"\n");
    out.append(
        ".SH NAME\nopdeploy \\- ship systems as signed btrfs snapshots: build, publish, deploy, roll back\n");
    out.append(".SH SYNOPSIS\n.B opdeploy\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]\n");
    out.append(".SH DESCRIPTION\n").append(escape(description(root))).append('\n');
    out.append(
        ".SH OPTIONS\nThese options and settings are accepted before or after the command;"
            + " every setting can also be given in the configuration file, and flags win over the file.\n");
    for (OptionSpec option : root.options()) {
      option(out, option);
    }
    out.append(".SH COMMANDS\n");
    for (CommandLine sub : root.subcommands().values()) {
      command(out, sub.getCommandSpec());
    }
    out.append(".SH EXIT STATUS\n");
    exit(out, "0", "success");
    exit(out, "1", "the operation failed (an upgrade whose health check failed was rolled back)");
    exit(out, "2", "bad usage or bad input");
    exit(out, "3", "verification failed: checksum, signature, trust, freshness or downgrade");
    exit(out, "4", "another run holds the lock");
    exit(out, "5", "check-new: no newer release at the source");
    out.append(".SH FILES\n");
    file(
        out,
        "/etc/opdeploy/opdeploy.yaml",
        "settings (YAML); ./opdeploy.yaml is read first when present");
    file(out, "/etc/opdeploy/trusted.asc", "armored public keys trusted to sign releases");
    file(out, "/var/lib/opdeploy", "the target root: deployments, state, audit log (setting root)");
    file(
        out,
        "/var/cache/opdeploy/opdeploy.jsa",
        "class-data archive for a fast start, rebuilt when missing");
    file(
        out,
        "/lib/systemd/system/opdeploy-upgrade.timer",
        "automatic upgrades (disabled by default): systemctl enable --now opdeploy-upgrade.timer");
    out.append(
        ".SH SEE ALSO\n.BR btrfs (8),\n.BR systemd.timer (5),\n.BR sha256sum (1),\n.BR gpg (1)\n");
    return out.toString();
  }

  private void command(StringBuilder out, CommandSpec spec) {
    if (spec.usageMessage().hidden()) {
      return;
    }
    if (!spec.subcommands().isEmpty()) {
      for (CommandLine sub : spec.subcommands().values()) {
        command(out, sub.getCommandSpec());
      }
      return;
    }
    String synopsis = synopsis(spec);
    out.append(".SS \"").append(escape(spec.qualifiedName())).append("\"\n");
    out.append(".nf\n").append(escape(synopsis)).append("\n.fi\n");
    out.append(".PP\n").append(escape(description(spec))).append('\n');
    for (OptionSpec option : spec.options()) {
      if (!option.inherited() && !option.usageHelp() && !option.versionHelp()) {
        option(out, option);
      }
    }
    for (String line : spec.usageMessage().footer()) {
      if (!line.isBlank()) {
        out.append(".PP\n").append(escape(line.strip())).append('\n');
      }
    }
  }

  /** The command, its own options (the global ones stand for [OPTIONS]) and its parameters. */
  static String synopsis(CommandSpec spec) {
    StringBuilder out = new StringBuilder(spec.qualifiedName()).append(" [OPTIONS]");
    for (OptionSpec option : spec.options()) {
      if (option.inherited() || option.usageHelp() || option.versionHelp() || option.hidden()) {
        continue;
      }
      String text =
          option.longestName() + (option.arity().max() > 0 ? " " + option.paramLabel() : "");
      out.append(' ').append(option.required() ? text : "[" + text + "]");
    }
    for (PositionalParamSpec parameter : spec.positionalParameters()) {
      out.append(' ')
          .append(
              parameter.required() ? parameter.paramLabel() : "[" + parameter.paramLabel() + "]");
    }
    return out.toString();
  }

  private static void option(StringBuilder out, OptionSpec option) {
    if (option.hidden()) {
      return;
    }
    out.append(".TP\n\\fB").append(escape(String.join(", ", option.names()))).append("\\fR");
    if (option.arity().max() > 0) {
      out.append(" \\fI").append(escape(option.paramLabel())).append("\\fR");
    }
    out.append('\n')
        .append(
            escape(
                String.join(" ", option.description())
                    .replace("${DEFAULT-VALUE}", String.valueOf(option.defaultValue()))
                    .replace("${COMPLETION-CANDIDATES}", candidates(option))))
        .append('\n');
  }

  private static String candidates(OptionSpec option) {
    List<String> values = new java.util.ArrayList<>();
    if (option.completionCandidates() != null) {
      option.completionCandidates().forEach(values::add);
    }
    return String.join(", ", values);
  }

  private static void exit(StringBuilder out, String code, String meaning) {
    out.append(".TP\n.B ").append(code).append('\n').append(escape(meaning)).append('\n');
  }

  private static void file(StringBuilder out, String path, String meaning) {
    out.append(".TP\n.I ").append(escape(path)).append('\n').append(escape(meaning)).append('\n');
  }

  static String description(CommandSpec spec) {
    return String.join(" ", spec.usageMessage().description()).replace("%n", " ");
  }

  /** roff-safe text: backslashes and hyphens escaped, no line starting with a control character. */
  static String escape(String text) {
    String escaped = text.replace("\\", "\\e").replace("-", "\\-");
    StringBuilder out = new StringBuilder();
    for (String line : escaped.split("\n", -1)) {
      if (out.length() > 0) {
        out.append('\n');
      }
      if (line.startsWith(".") || line.startsWith("'")) {
        out.append("\\&");
      }
      out.append(line);
    }
    return out.toString();
  }
}
