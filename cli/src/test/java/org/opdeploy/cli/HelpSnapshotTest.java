package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opdeploy.cli.context.OpdeployCommand;
import org.opdeploy.cli.help.HelpLayout;
import picocli.CommandLine;

/**
 * Every command's {@code --help} at 80 columns, compared with its snapshot in {@code
 * src/test/resources/help/} ({@code opdeploy-target-prune.txt} for {@code opdeploy target prune
 * --help}): a change to an option, a description or the layout shows up as a diff to review.
 *
 * <p>To accept changed help, regenerate the snapshots and review the diff: {@code
 * OPDEPLOY_UPDATE_SNAPSHOTS=1 mvn -B -ntp -pl cli -am test -Dtest=HelpSnapshotTest
 * -Dsurefire.failIfNoSpecifiedTests=false}, then {@code git diff cli/src/test/resources/help}.
 */
class HelpSnapshotTest {
  private static final int WIDTH = 80;
  private static final Path SNAPSHOTS = Path.of("src/test/resources/help");

  /** The words of every command and group after {@code opdeploy}, the root's included (none). */
  static Stream<List<String>> commands() {
    List<List<String>> all = new ArrayList<>();
    collect(layout(), new ArrayList<>(), all);
    return all.stream();
  }

  @ParameterizedTest(name = "opdeploy {0} --help")
  @MethodSource("commands")
  void helpMatchesItsSnapshotAndFitsEightyColumns(List<String> words) throws IOException {
    String help = help(words);
    assertThat(help.lines())
        .as("no line of the help, examples included, is wider than the terminal")
        .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(WIDTH));
    Path snapshot = SNAPSHOTS.resolve(String.join("-", prefixed(words)) + ".txt");
    if ("1".equals(System.getenv("OPDEPLOY_UPDATE_SNAPSHOTS"))) {
      Files.createDirectories(SNAPSHOTS);
      Files.writeString(snapshot, help);
    }
    assertThat(snapshot)
        .as("snapshot of 'opdeploy %s --help' (see this class to regenerate)", words)
        .exists();
    assertThat(help).isEqualTo(Files.readString(snapshot));
  }

  @Test
  void everySnapshotBelongsToACommand() throws IOException {
    List<String> expected =
        commands().map(w -> String.join("-", prefixed(w)) + ".txt").sorted().toList();
    try (Stream<Path> files = Files.list(SNAPSHOTS)) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).isEqualTo(expected);
    }
  }

  /** The root command and its subcommands, laid out as {@link Main} lays them out, 80 wide. */
  private static CommandLine layout() {
    CommandLine root = new CommandLine(new OpdeployCommand(Map.of(), System.out, System.err));
    Subcommands.register(root, new String[0]);
    HelpLayout.install(root);
    // After registering: the setters reach every subcommand present.
    root.setUsageHelpAutoWidth(false);
    root.setUsageHelpWidth(WIDTH);
    return root;
  }

  private static String help(List<String> words) {
    CommandLine command = layout();
    for (String word : words) {
      command = command.getSubcommands().get(word);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      command.usage(print);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static List<String> prefixed(List<String> words) {
    List<String> all = new ArrayList<>(List.of("opdeploy"));
    all.addAll(words);
    return all;
  }

  private static void collect(CommandLine command, List<String> path, List<List<String>> out) {
    if (!path.contains("generate-completion")) {
      out.add(path);
    }
    command
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              List<String> next = new ArrayList<>(path);
              next.add(name);
              collect(sub, next, out);
            });
  }
}
