package org.opdeploy.cli.actions;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.opdeploy.error.OpdeployException;

/**
 * Speaks the GitHub Actions runner's language when {@code GITHUB_ACTIONS=true}: log groups, error
 * annotations, masks, step outputs ({@code $GITHUB_OUTPUT}) and the job summary ({@code
 * $GITHUB_STEP_SUMMARY}). Outside Actions every method does nothing.
 */
public final class GitHubActions {
  private final boolean enabled;
  private final PrintStream commands;
  private final Path outputFile;
  private final Path summaryFile;
  private final Path workspace;
  private final Set<String> groupTitles = new HashSet<>();
  private String openGroup;
  private String openGroupTitle;

  private GitHubActions(
      boolean enabled, PrintStream commands, Path outputFile, Path summaryFile, Path workspace) {
    this.enabled = enabled;
    this.commands = commands;
    this.outputFile = outputFile;
    this.summaryFile = summaryFile;
    this.workspace = workspace;
  }

  /** {@code commands} is stdout, or stderr when stdout is reserved for --json. */
  public static GitHubActions fromEnvironment(Map<String, String> env, PrintStream commands) {
    boolean enabled = "true".equals(env.get("GITHUB_ACTIONS"));
    return new GitHubActions(
        enabled,
        commands,
        pathOrNull(env.get("GITHUB_OUTPUT")),
        pathOrNull(env.get("GITHUB_STEP_SUMMARY")),
        pathOrNull(env.get("GITHUB_WORKSPACE")));
  }

  private static Path pathOrNull(String value) {
    return value == null || value.isBlank() ? null : Path.of(value);
  }

  public boolean enabled() {
    return enabled;
  }

  /**
   * Tells the runner to hide every line of {@code secret} in the log, before anything could print
   * it.
   */
  public void mask(String secret) {
    if (enabled && secret != null) {
      secret
          .lines()
          .map(String::strip)
          .filter(l -> l.length() >= 4)
          .forEach(l -> commands.println("::add-mask::" + escape(l)));
    }
  }

  /**
   * Opens a log group. The runner cannot nest groups: one still open is closed first. A title seen
   * before in this run gets a count ("send v1 (2)"), so that no group is repeated in the log.
   */
  public void group(String title) {
    if (!enabled) {
      return;
    }
    endGroup();
    String shown = title;
    for (int n = 2; !groupTitles.add(shown); n++) {
      shown = title + " (" + n + ")";
    }
    commands.println("::group::" + escape(shown));
    openGroup = shown;
    openGroupTitle = title;
  }

  /** Closes the group {@code title} opened, if it is still the open one. */
  public void endGroup(String title) {
    if (openGroup != null && openGroupTitle.equals(title)) {
      endGroup();
    }
  }

  /** Closes whatever group is open. */
  public void endGroup() {
    if (enabled && openGroup != null) {
      commands.println("::endgroup::");
      openGroup = null;
      openGroupTitle = null;
    }
  }

  public void error(String message) {
    if (enabled) {
      endGroup();
      commands.println("::error title=opdeploy::" + escape(message));
    }
  }

  /**
   * An error annotated on a line of a file: relative to {@code GITHUB_WORKSPACE} when the file is
   * inside it, so the runner can show it on the file; {@code line} 0 names the file only.
   */
  public void error(String message, Path file, int line) {
    if (!enabled) {
      return;
    }
    endGroup();
    Path shown = file.toAbsolutePath().normalize();
    if (workspace != null && shown.startsWith(workspace.toAbsolutePath().normalize())) {
      shown = workspace.toAbsolutePath().normalize().relativize(shown);
    }
    commands.println(
        "::error file="
            + escapeProperty(shown.toString())
            + (line > 0 ? ",line=" + line : "")
            + ",title=opdeploy::"
            + escape(message));
  }

  /** Appends a failure section to the job summary: what failed, the message and the exit code. */
  public void failureSummary(String command, String message, int exitCode)
      throws OpdeployException {
    summary(
        "### "
            + command
            + " failed (exit "
            + exitCode
            + ")\n\n"
            + message
                .lines()
                .map(l -> "    " + l)
                .collect(java.util.stream.Collectors.joining("\n"))
            + "\n");
  }

  /** Sets a step output; values may span lines. */
  public void output(String name, String value) throws OpdeployException {
    if (enabled && outputFile != null) {
      String delimiter = "opdeploy_" + UUID.randomUUID().toString().replace("-", "");
      append(
          outputFile,
          value.contains("\n")
              ? name + "<<" + delimiter + "\n" + value + "\n" + delimiter + "\n"
              : name + "=" + value + "\n");
    }
  }

  /** Appends Markdown to the job summary. */
  public void summary(String markdown) throws OpdeployException {
    if (enabled && summaryFile != null) {
      append(summaryFile, markdown.endsWith("\n") ? markdown : markdown + "\n");
    }
  }

  private static void append(Path file, String text) throws OpdeployException {
    try {
      Files.writeString(
          file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new OpdeployException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Workflow-command data escaping, so a message cannot inject a command of its own. */
  static String escape(String text) {
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  /** A property value (file=…) also escapes the separators {@code :} and {@code ,}. */
  static String escapeProperty(String text) {
    return escape(text).replace(":", "%3A").replace(",", "%2C");
  }
}
