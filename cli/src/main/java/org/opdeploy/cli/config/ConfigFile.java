package org.opdeploy.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.opdeploy.error.BadInputException;
import org.opdeploy.yaml.YamlDocument;

/**
 * The optional YAML settings file: {@code --config FILE}, else {@code ./opdeploy.yaml}, else {@code
 * /etc/opdeploy/opdeploy.yaml}. Keys are the setting names of DESIGN.md; an unknown key is refused
 * so that a typo never silently falls back to a default.
 */
public final class ConfigFile {
  public static final List<Path> DEFAULT_LOCATIONS =
      List.of(Path.of("opdeploy.yaml"), Path.of("/etc/opdeploy/opdeploy.yaml"));
  public static final Set<String> KEYS =
      Set.of(
          "pool",
          "golden",
          "name",
          "compress",
          "max-asset-bytes",
          "signing-key-id",
          "step-timeout",
          "root",
          "source",
          "trusted-keys",
          "mount",
          "overlay",
          "service",
          "send-protocol",
          "compressed-data",
          "ca-file",
          "track");

  private final Path origin;
  private final Map<String, String> values;
  private final YamlDocument document;

  private ConfigFile(Path origin, Map<String, String> values, YamlDocument document) {
    this.origin = origin;
    this.values = Map.copyOf(values);
    this.document = document;
  }

  public static ConfigFile empty() {
    return new ConfigFile(null, Map.of(), null);
  }

  /** Loads {@code explicit}, or the first default location that exists, or nothing. */
  public static ConfigFile locate(Path explicit) throws BadInputException {
    if (explicit != null) {
      if (!Files.isRegularFile(explicit)) {
        throw new BadInputException(
            "config file " + explicit + " does not exist: fix --config FILE or leave it out");
      }
      return load(explicit);
    }
    for (Path candidate : DEFAULT_LOCATIONS) {
      if (Files.isRegularFile(candidate)) {
        return load(candidate);
      }
    }
    return empty();
  }

  static ConfigFile load(Path file) throws BadInputException {
    YamlDocument document = YamlDocument.read(file, "config file");
    JsonNode tree = document.root();
    Map<String, String> values = new LinkedHashMap<>();
    if (tree != null && !tree.isMissingNode() && !tree.isNull()) {
      if (!tree.isObject()) {
        throw new BadInputException(
            "config file " + document.at("") + " must be a mapping of settings (key: value)");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!KEYS.contains(field.getKey())) {
          throw new BadInputException(
              "config file "
                  + document.at(field.getKey())
                  + ": unknown setting '"
                  + field.getKey()
                  + "'; known settings: "
                  + String.join(", ", new TreeSet<>(KEYS)));
        }
        if (!field.getValue().isValueNode()) {
          throw new BadInputException(
              "config file "
                  + document.at(field.getKey())
                  + ": '"
                  + field.getKey()
                  + "' must be a single value, not a "
                  + (field.getValue().isArray() ? "list" : "mapping"));
        }
        values.put(field.getKey(), field.getValue().asText());
      }
    }
    return new ConfigFile(file, values, document);
  }

  public String get(String key) {
    return values.get(key);
  }

  public Path origin() {
    return origin;
  }

  /** {@code config file FILE:LINE:COLUMN: KEY}: where the value of {@code key} was written. */
  public String describe(String key) {
    return "config file " + (document == null ? origin : document.at(key)) + ": " + key;
  }
}
