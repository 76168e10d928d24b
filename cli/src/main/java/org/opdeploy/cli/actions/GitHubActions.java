package org.opdeploy.cli.actions;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
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

  private GitHubActions(boolean enabled, PrintStream commands, Path outputFile, Path summaryFile) {
    this.enabled = enabled;
    this.commands = commands;
    this.outputFile = outputFile;
    this.summaryFile = summaryFile;
  }

  /** {@code commands} is stdout, or stderr when stdout is reserved for --json. */
  public static GitHubActions fromEnvironment(Map<String, String> env, PrintStream commands) {
    boolean enabled = "true".equals(env.get("GITHUB_ACTIONS"));
    return new GitHubActions(
        enabled,
        commands,
        pathOrNull(env.get("GITHUB_OUTPUT")),
        pathOrNull(env.get("GITHUB_STEP_SUMMARY")));
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

  public void group(String title) {
    if (enabled) {
      commands.println("::group::" + escape(title));
    }
  }

  public void endGroup() {
    if (enabled) {
      commands.println("::endgroup::");
    }
  }

  public void error(String message) {
    if (enabled) {
      commands.println("::error title=opdeploy::" + escape(message));
    }
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
}
