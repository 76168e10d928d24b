package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opdeploy.cli.command.DeployCommand;
import org.opdeploy.cli.command.TargetCommand;
import org.opdeploy.cli.context.OpdeployCommand;
import picocli.CommandLine;

/** The contract of the command line itself: exit codes, --json, option placement, config file. */
class CommandLineTest {

  @ParameterizedTest
  @ValueSource(strings = {"../x", "v1", "v1.2.3;rm -rf /", ""})
  void anInvalidVersionExitsTwoWithOneLineBeforeAnySideEffect(String version, @TempDir Path dir) {
    Path pool = dir.resolve("pool-that-must-not-appear");
    CliRun run = CliRun.of("--pool", pool.toString(), "snapshot", version);
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr().strip().lines())
        .hasSize(1)
        .first()
        .asString()
        .startsWith("opdeploy: error: invalid version");
    assertThat(pool).doesNotExist();
  }

  @Test
  void globalOptionsWorkBeforeAndAfterTheSubcommand(@TempDir Path dir) throws Exception {
    CliRun before = CliRun.of("--json", "--root", dir.toString(), "audit", "verify");
    CliRun after = CliRun.of("audit", "verify", "--root", dir.toString(), "--json");
    assertThat(before.exitCode()).isZero();
    assertThat(after.stdout()).isEqualTo(before.stdout());
    JsonNode doc = new ObjectMapper().readTree(after.stdout());
    assertThat(doc.get("ok").asBoolean()).isTrue();
    assertThat(doc.get("file").asText()).isEqualTo(dir.resolve("audit.log").toString());
  }

  @Test
  void underJsonAnErrorIsTheOneDocumentOnStdout(@TempDir Path dir) throws Exception {
    CliRun run = CliRun.of("--json", "--pool", dir.toString(), "snapshot", "v1.0");
    assertThat(run.exitCode()).isEqualTo(2);
    JsonNode doc = new ObjectMapper().readTree(run.stdout());
    assertThat(doc.get("ok").asBoolean()).isFalse();
    assertThat(doc.get("exit_code").asInt()).isEqualTo(2);
    assertThat(doc.get("error").asText()).startsWith("invalid version 'v1.0'");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "list --no-such-flag",
        "frobnicate",
        "send v1.0.0",
        "--max-asset-bytes lots list",
        "",
        "target"
      })
  void underJsonAParseErrorIsTheOneDocumentOnStdout(String words) throws Exception {
    List<String> args = new ArrayList<>(List.of("--json"));
    if (!words.isEmpty()) {
      args.addAll(List.of(words.split(" ")));
    }
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
    JsonNode doc = new ObjectMapper().readTree(run.stdout());
    assertThat(doc.get("ok").asBoolean()).isFalse();
    assertThat(doc.get("exit_code").asInt()).isEqualTo(2);
    assertThat(doc.get("error").asText()).isNotBlank();
    assertThat(run.stderr()).contains("opdeploy: error: ");
  }

  @Test
  void aPoolThatIsNotBtrfsIsRefusedWithExitTwo(@TempDir Path dir) {
    CliRun run = CliRun.of("--pool", dir.toString(), "snapshot", "v1.0.0");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("not btrfs");
  }

  @Test
  void unknownCommandsAndOptionsExitTwo() {
    assertThat(CliRun.of("frobnicate").exitCode()).isEqualTo(2);
    assertThat(CliRun.of("list", "--no-such-flag").exitCode()).isEqualTo(2);
    assertThat(CliRun.of().exitCode()).isEqualTo(2);
  }

  @Test
  void theConfigFileSuppliesSettingsAndFlagsWin(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("opdeploy.yaml");
    Files.writeString(config, "root: " + dir.resolve("from-file") + "\n");
    CliRun fromFile = CliRun.of("--json", "--config", config.toString(), "audit", "verify");
    assertThat(fromFile.stdout())
        .contains(dir.resolve("from-file").resolve("audit.log").toString());
    CliRun flagWins =
        CliRun.of(
            "--json",
            "--config",
            config.toString(),
            "--root",
            dir.resolve("flag").toString(),
            "audit",
            "verify");
    assertThat(flagWins.stdout()).contains(dir.resolve("flag").resolve("audit.log").toString());
  }

  @Test
  void anUnknownConfigKeyIsRefusedByName(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("opdeploy.yaml");
    Files.writeString(config, "rooot: /x\n");
    CliRun run = CliRun.of("--config", config.toString(), "audit", "verify");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("unknown setting 'rooot'");
  }

  @Test
  void everyCommandHasHelpWithAnExampleThatParsesAsWritten() {
    List<List<String>> commands = new ArrayList<>();
    CommandLine all = allCommands();
    collect(all, new ArrayList<>(), commands);
    assertThat(commands)
        .hasSizeGreaterThan(21)
        .contains(List.of("golden"), List.of("target"), List.of("audit"));
    for (List<String> command : commands) {
      String name = String.join(" ", command);
      List<String> args = new ArrayList<>(command);
      args.add("--help");
      CliRun run = CliRun.of(args.toArray(String[]::new));
      assertThat(run.exitCode()).as(name).isZero();
      assertThat(run.stdout()).as(name).contains("Example:");
      CommandLine sub = all;
      for (String word : command) {
        sub = sub.getSubcommands().get(word);
      }
      List<String> footer = List.of(sub.getCommandSpec().usageMessage().footer());
      for (String line : footer) {
        assertThat(run.stdout().lines())
            .as(name + ": the example is printed as written")
            .contains(line);
      }
      List<List<String>> examples = examples(footer);
      assertThat(examples).as(name).isNotEmpty();
      for (List<String> example : examples) {
        assertThat(example).as(name).noneMatch(token -> token.contains("…"));
        assertThat(example)
            .as(name + ": the example shows this command")
            .containsSubsequence(command);
        CommandLine parser = allCommands();
        parser.parseArgs(example.toArray(String[]::new));
        assertThat(parser.getParseResult().subcommand()).as(name + ": " + example).isNotNull();
      }
    }
  }

  @Test
  void aSubcommandsHelpListsItsOwnOptionsFirstAndOnlyTheSettingsItUses() {
    String send = CliRun.of("send", "--help").stdout();
    assertThat(send.lines().findFirst().orElseThrow())
        .isEqualTo("Usage: opdeploy send [OPTIONS] --out=DIR VERSION");
    assertThat(send.indexOf("--parent")).isLessThan(send.indexOf("Global options:"));
    assertThat(send.indexOf("--out=DIR")).isLessThan(send.indexOf("Global options:"));
    assertThat(send.indexOf("Global options:"))
        .isLessThan(send.indexOf("--json"))
        .isLessThan(send.indexOf("Settings (flags win over the config file):"));
    assertThat(send.substring(send.indexOf("Settings")))
        .contains("--pool=DIR", "--compress", "--send-protocol")
        .doesNotContain("--root", "--trusted-keys", "--mount");

    String status = CliRun.of("status", "--help").stdout();
    assertThat(status)
        .contains("--root=DIR", "--json")
        .doesNotContain("--pool", "--compress", "--dry-run");
  }

  @Test
  void fromNamesAReleaseSourceAndPublishTakesItsFolderByDir(@TempDir Path dir) {
    String publish = CliRun.of("publish", "--help").stdout();
    assertThat(publish).contains("--dir=DIR").doesNotContain("--from");
    assertThat(CliRun.of("upgrade", "--help").stdout()).contains("--from=SOURCE");
    CliRun old =
        CliRun.of(
            "publish",
            "v1.0.0",
            "--from",
            dir.resolve("missing").toString(),
            "--to",
            "dir:" + dir.resolve("store"),
            "--dry-run");
    assertThat(old.stderr()).contains("publish --from DIR is deprecated: use --dir DIR");
    CliRun none = CliRun.of("publish", "v1.0.0", "--to", "dir:" + dir.resolve("store"));
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.stderr()).contains("publish needs --dir DIR");
  }

  private static CommandLine allCommands() {
    CommandLine all = new CommandLine(new OpdeployCommand(Map.of(), System.out, System.err));
    Subcommands.register(all, new String[0]);
    return all;
  }

  /**
   * The command lines an example footer shows, as a shell would split them (continuations joined,
   * comments and remarks dropped), without the environment, sudo and the program name.
   */
  private static List<List<String>> examples(List<String> footer) {
    List<List<String>> examples = new ArrayList<>();
    String text = String.join("\n", footer).replace("\\\n", " ").replace("Example:", "");
    for (String line : text.split("\n")) {
      String command = line.replaceAll("#.*", "").strip();
      if (command.isEmpty() || command.startsWith("(")) {
        continue;
      }
      List<String> words = new ArrayList<>(List.of(command.split("\\s+")));
      while (!words.isEmpty()
          && (words.get(0).matches("[A-Z_]+=\\S*") || words.get(0).equals("sudo"))) {
        words.remove(0);
      }
      assertThat(words.get(0)).as(line).isIn("opdeploy", "./opdeploy");
      examples.add(words.subList(1, words.size()));
    }
    return examples;
  }

  @Test
  void registersOnlyTheSubcommandsACommandLineNames() {
    assertThat(Subcommands.needed(Set.of("--root", "/srv", "deploy", "v1.0.0")))
        .containsExactly(DeployCommand.class);
    assertThat(Subcommands.needed(Set.of("target", "prepare")))
        .containsExactly(TargetCommand.class);
    assertThat(Subcommands.needed(Set.of("--help"))).hasSizeGreaterThan(17);
    assertThat(Subcommands.needed(Set.of("deplyo"))).hasSizeGreaterThan(17);
    assertThat(Subcommands.needed(Set.of("generate-completion"))).hasSizeGreaterThan(17);
  }

  @Test
  void aCommandLineMayRepeatAWord(@TempDir Path dir) {
    CliRun run = CliRun.of("--root", dir.toString(), "--mount", dir.toString(), "status");
    assertThat(run.exitCode()).as(run.stderr()).isZero();
  }

  @Test
  void aMistypedSubcommandGetsSuggestions() {
    CliRun run = CliRun.of("stauts");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("status");
  }

  /** Every command and command group, by its words on the command line. */
  private static void collect(CommandLine cmd, List<String> path, List<List<String>> out) {
    if (!path.isEmpty() && !path.get(0).equals("generate-completion")) {
      out.add(path);
    }
    cmd.getSubcommands()
        .forEach(
            (name, sub) -> {
              List<String> next = new ArrayList<>(path);
              next.add(name);
              collect(sub, next, out);
            });
  }

  @Test
  void completionScriptIsGenerated() {
    CliRun run = CliRun.of("generate-completion");
    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).contains("complete").contains("opdeploy");
  }
}
