package org.opdeploy.cli.help;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Which global flags each command reads, so that its help lists those and not every setting of both
 * sides. Keyed by the command's words after {@code opdeploy}.
 */
final class SettingsUse {
  private static final List<String> POOL = List.of("--pool", "--golden", "--name");
  private static final List<String> SEND =
      List.of(
          "--compress",
          "--max-asset-bytes",
          "--send-protocol",
          "--compressed-data",
          "--signing-key-id");
  private static final List<String> SOURCE = List.of("--source", "--trusted-keys", "--ca-file");

  /** What a look at the source's releases reads: their names and sizes, no signature. */
  private static final List<String> LISTING = List.of("--root", "--source", "--ca-file", "--track");

  private static final List<String> SWITCH = List.of("--mount", "--overlay", "--service");
  private static final List<String> LOCKED = List.of("--dry-run", "--wait");

  private static final Map<String, List<String>> USE =
      Map.ofEntries(
          Map.entry("golden refresh", join(POOL, List.of("--step-timeout"), LOCKED)),
          Map.entry("golden validate", POOL),
          Map.entry("snapshot", join(POOL, LOCKED)),
          Map.entry("send", join(POOL, SEND, LOCKED)),
          Map.entry("publish", List.of("--signing-key-id", "--trusted-keys", "--dry-run")),
          Map.entry("release", join(POOL, SEND, List.of("--step-timeout"), LOCKED)),
          // list --source [SOURCE] reads a target's releases at its source instead.
          Map.entry("list", join(POOL, LISTING)),
          Map.entry("prune", join(POOL, LOCKED)),
          Map.entry(
              "target prepare",
              join(List.of("--root", "--trusted-keys", "--send-protocol"), SWITCH)),
          Map.entry("target prune", join(List.of("--root"), LOCKED)),
          Map.entry("fetch", join(List.of("--root"), SOURCE, List.of("--wait"))),
          Map.entry("verify", List.of("--trusted-keys")),
          Map.entry("deploy", join(List.of("--root"), SOURCE, LOCKED)),
          Map.entry("activate", join(List.of("--root"), SWITCH, LOCKED)),
          Map.entry("upgrade", join(List.of("--root"), SOURCE, List.of("--track"), SWITCH, LOCKED)),
          Map.entry("check-new", LISTING),
          Map.entry("rollback", join(List.of("--root"), SWITCH, LOCKED)),
          Map.entry("status", List.of("--root", "--mount")),
          Map.entry("audit verify", join(List.of("--root"), POOL)));

  private SettingsUse() {}

  /** The flags {@code spec} reads; none for a group or a command that reads no setting. */
  static List<String> of(CommandSpec spec) {
    String words = spec.qualifiedName().replaceFirst("^\\S+\\s*", "");
    return USE.getOrDefault(words, List.of());
  }

  @SafeVarargs
  private static List<String> join(List<String>... lists) {
    return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
  }
}
