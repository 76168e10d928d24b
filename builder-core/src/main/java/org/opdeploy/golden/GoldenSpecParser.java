package org.opdeploy.golden;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.Printable;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.manifest.ServiceAccount;
import org.opdeploy.snapshot.PoolLayout;
import org.opdeploy.yaml.YamlDocument;

/**
 * Reads {@code golden.yaml} as a tree and walks it key by key, so that every complaint names the
 * exact key and file, and so that nothing unknown is silently ignored.
 */
final class GoldenSpecParser {
  private static final Set<String> TOP =
      Set.of(
          "name",
          "base",
          "rootfs",
          "payload",
          "steps",
          "checks",
          "service",
          "health",
          "step-timeout",
          "service-account");

  private final Placeholders placeholders;
  private final boolean payloadVariablesRequired;
  private Path file;
  private Path folder;
  private YamlDocument document;

  GoldenSpecParser(Map<String, String> env, boolean payloadVariablesRequired) {
    this.placeholders = new Placeholders(env);
    this.payloadVariablesRequired = payloadVariablesRequired;
  }

  GoldenSpec parse(Path specDirOrFile) throws BadInputException {
    Path given = specDirOrFile.toAbsolutePath().normalize();
    String fileName = given.getFileName() == null ? "" : given.getFileName().toString();
    boolean namesFile =
        Files.isRegularFile(given) || fileName.endsWith(".yaml") || fileName.endsWith(".yml");
    file = namesFile ? given : given.resolve(GoldenSpec.FILE_NAME);
    folder = file.getParent();
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(
          "golden spec "
              + file
              + " not found: pass --golden DIR (setting 'golden') naming the folder that holds "
              + GoldenSpec.FILE_NAME);
    }
    document = YamlDocument.read(file, "golden spec");
    JsonNode root = document.root();
    if (root == null || !root.isObject()) {
      throw bad("", "must be a mapping with at least 'base'");
    }
    keys(root, "", TOP);
    String name = root.has("name") ? text(root.get("name"), "name") : PoolLayout.DEFAULT_NAME;
    try {
      AssetNames.checkName(name);
    } catch (BadInputException e) {
      throw bad("name", "name: " + e.getMessage());
    }
    if (!root.has("base")) {
      throw bad(
          "", "has no 'base': add e.g. base: {debootstrap: {suite: bookworm, variant: minbase}}");
    }
    return new GoldenSpec(
        file,
        folder,
        name,
        base(root.get("base")),
        root.has("rootfs") ? existing(text(root.get("rootfs"), "rootfs"), "rootfs", true) : null,
        payload(root.get("payload")),
        steps(root.get("steps")),
        checks(root.get("checks")),
        root.has("service") ? text(root.get("service"), "service") : null,
        health(root.get("health")),
        root.has("step-timeout")
            ? duration(root.get("step-timeout"), "step-timeout")
            : GoldenSpec.DEFAULT_STEP_TIMEOUT,
        serviceAccount(root.get("service-account")));
  }

  /** {@code service-account: {user: NAME | dynamic-user: true, capabilities: [CAP_…]}}. */
  private ServiceAccount serviceAccount(JsonNode node) throws BadInputException {
    if (node == null) {
      return null;
    }
    if (!node.isObject()) {
      throw bad(
          "service-account",
          "service-account: must be a mapping {user, dynamic-user, capabilities}");
    }
    keys(node, "service-account.", Set.of("user", "dynamic-user", "capabilities"));
    String user = node.has("user") ? text(node.get("user"), "service-account.user") : null;
    JsonNode dynamic = node.get("dynamic-user");
    if (dynamic != null && !dynamic.isBoolean()) {
      throw bad(
          "service-account.dynamic-user", "service-account.dynamic-user: write true or false");
    }
    List<String> capabilities = new ArrayList<>();
    for (JsonNode c : list(node.get("capabilities"), "service-account.capabilities")) {
      capabilities.add(text(c, "service-account.capabilities"));
    }
    try {
      return ServiceAccount.of(
          user, dynamic != null && dynamic.booleanValue(), capabilities, "service-account");
    } catch (BadInputException e) {
      throw bad("service-account", e.getMessage());
    }
  }

  private BaseSpec base(JsonNode node) throws BadInputException {
    if (!node.isObject() || node.size() != 1) {
      throw bad("base", "base: must have exactly one of debootstrap, directory, tarball, empty");
    }
    keys(node, "base.", Set.of("debootstrap", "directory", "tarball", "empty"));
    String kind = node.fieldNames().next();
    JsonNode value = node.get(kind);
    return switch (kind) {
      case "debootstrap" -> {
        if (!value.isObject()) {
          throw bad(
              "base.debootstrap", "base.debootstrap: must be a mapping {suite, variant, mirror}");
        }
        keys(value, "base.debootstrap.", Set.of("suite", "variant", "mirror"));
        if (!value.has("suite")) {
          throw bad("base.debootstrap", "base.debootstrap: 'suite' is required, e.g. bookworm");
        }
        String variant =
            value.has("variant")
                ? text(value.get("variant"), "base.debootstrap.variant")
                : "minbase";
        String mirror =
            value.has("mirror") ? text(value.get("mirror"), "base.debootstrap.mirror") : null;
        yield new BaseSpec.Debootstrap(
            text(value.get("suite"), "base.debootstrap.suite"), variant, mirror);
      }
      case "directory" ->
          new BaseSpec.Directory(existing(text(value, "base.directory"), "base.directory", true));
      case "tarball" ->
          new BaseSpec.Tarball(existing(text(value, "base.tarball"), "base.tarball", false));
      default -> {
        if (!value.isBoolean() || !value.booleanValue()) {
          throw bad("base.empty", "base.empty: write 'empty: true'");
        }
        yield new BaseSpec.Empty();
      }
    };
  }

  private List<PayloadFile> payload(JsonNode node) throws BadInputException {
    List<PayloadFile> files = new ArrayList<>();
    int i = 0;
    for (JsonNode entry : list(node, "payload")) {
      String where = "payload[" + i++ + "]";
      if (!entry.isObject()) {
        throw bad(where, where + ": must be a mapping {from, to, mode}");
      }
      keys(entry, where + ".", Set.of("from", "to", "mode"));
      if (!entry.has("from") || !entry.has("to")) {
        throw bad(where, where + ": needs both 'from' and 'to'");
      }
      if (!payloadVariablesRequired
          && !(placeholders.resolvable(text(entry.get("from"), where + ".from"))
              && placeholders.resolvable(text(entry.get("to"), where + ".to")))) {
        continue; // only a refresh installs the payload, and only a refresh needs its variables
      }
      String from =
          placeholders.expand(
              text(entry.get("from"), where + ".from"),
              "golden spec " + document.at(where + ".from") + ": " + where + ".from");
      String to =
          placeholders.expand(
              text(entry.get("to"), where + ".to"),
              "golden spec " + document.at(where + ".to") + ": " + where + ".to");
      if (!to.startsWith("/")
          || Path.of(to).normalize().getNameCount() == 0
          || to.contains("/../")) {
        throw bad(
            where + ".to",
            where + ".to: '" + to + "' must be an absolute path of a file inside the golden");
      }
      Path source = existing(from, where + ".from", false);
      files.add(
          new PayloadFile(
              source, Path.of(to).normalize().toString(), mode(entry.get("mode"), where)));
    }
    return files;
  }

  private int mode(JsonNode node, String where) throws BadInputException {
    if (node == null) {
      return -1;
    }
    // YAML reads an unquoted 0755 as octal and 755 as decimal: only a string is unambiguous.
    if (node.isNumber()) {
      throw bad(where + ".mode", where + ".mode: write the mode quoted, e.g. mode: \"0755\"");
    }
    String text = text(node, where + ".mode");
    if (!text.matches("0?[0-7]{3,4}")) {
      throw bad(
          where + ".mode", where + ".mode: '" + text + "' is not an octal mode like \"0755\"");
    }
    return Integer.parseInt(text, 8);
  }

  private List<Path> steps(JsonNode node) throws BadInputException {
    List<Path> steps = new ArrayList<>();
    int i = 0;
    for (JsonNode entry : list(node, "steps")) {
      String where = "steps[" + i++ + "]";
      String value = text(entry, where);
      try {
        StepPath.inside(folder, value, where);
      } catch (BadInputException e) {
        throw bad(where, e.getMessage());
      }
      steps.add(existing(value, where, false));
    }
    return steps;
  }

  private GoldenChecks checks(JsonNode node) throws BadInputException {
    if (node == null) {
      return GoldenChecks.none();
    }
    if (!node.isObject()) {
      throw bad("checks", "checks: must be a mapping {files, commands}");
    }
    keys(node, "checks.", Set.of("files", "commands"));
    List<String> files = new ArrayList<>();
    for (JsonNode f : list(node.get("files"), "checks.files")) {
      String path = text(f, "checks.files");
      if (!path.startsWith("/")) {
        throw bad(
            "checks.files",
            "checks.files: '" + path + "' must be an absolute path inside the golden");
      }
      files.add(path);
    }
    List<String> commands = new ArrayList<>();
    for (JsonNode c : list(node.get("commands"), "checks.commands")) {
      commands.add(text(c, "checks.commands"));
    }
    return new GoldenChecks(files, commands);
  }

  private HealthCheck health(JsonNode node) throws BadInputException {
    if (node == null) {
      return null;
    }
    if (!node.isObject() || !node.has("command")) {
      throw bad("health", "health: must be a mapping {command, timeout}");
    }
    keys(node, "health.", Set.of("command", "timeout"));
    Duration timeout =
        node.has("timeout")
            ? duration(node.get("timeout"), "health.timeout")
            : HealthCheck.DEFAULT_TIMEOUT;
    return new HealthCheck(text(node.get("command"), "health.command"), timeout);
  }

  private void keys(JsonNode node, String prefix, Set<String> allowed) throws BadInputException {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw bad(
            prefix + key,
            "unknown key '"
                + prefix
                + key
                + "' (allowed here: "
                + String.join(", ", allowed.stream().sorted().toList())
                + ")");
      }
    }
  }

  private Iterable<JsonNode> list(JsonNode node, String where) throws BadInputException {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw bad(where, where + ": must be a list");
    }
    return node;
  }

  private String text(JsonNode node, String where) throws BadInputException {
    if (node == null || !node.isValueNode() || node.isNull() || node.asText().isBlank()) {
      throw bad(where, where + ": must be a non-empty string");
    }
    return node.asText();
  }

  private Duration duration(JsonNode node, String where) throws BadInputException {
    try {
      return DurationText.parse(node.asText(), where);
    } catch (BadInputException e) {
      throw bad(where, e.getMessage());
    }
  }

  /** Resolves a spec path against the spec folder and insists it exists now. */
  private Path existing(String value, String where, boolean directory) throws BadInputException {
    Path path = folder.resolve(value).normalize();
    boolean ok = directory ? Files.isDirectory(path) : Files.isRegularFile(path);
    if (!ok) {
      throw bad(
          where,
          where
              + ": "
              + (directory ? "folder " : "file ")
              + Printable.of(path)
              + " does not exist");
    }
    return path;
  }

  /** A complaint about the value at {@code at} (a path such as {@code payload[0].from}). */
  private BadInputException bad(String at, String what) {
    return document.refuse(at, what);
  }
}
