package org.opdeploy.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.opdeploy.error.BadInputException;

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

  private ConfigFile(Path origin, Map<String, String> values) {
    this.origin = origin;
    this.values = Map.copyOf(values);
  }

  public static ConfigFile empty() {
    return new ConfigFile(null, Map.of());
  }

  /** Loads {@code explicit}, or the first default location that exists, or nothing. */
  public static ConfigFile locate(Path explicit) throws BadInputException {
    if (explicit != null) {
      if (!Files.isRegularFile(explicit)) {
        throw new BadInputException("config file " + explicit + " does not exist");
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
    JsonNode tree;
    try {
      tree = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new BadInputException(
          "config file "
              + file
              + " is not valid YAML: "
              + e.getMessage().lines().findFirst().orElse(""));
    }
    Map<String, String> values = new LinkedHashMap<>();
    if (tree != null && !tree.isMissingNode() && !tree.isNull()) {
      if (!tree.isObject()) {
        throw new BadInputException("config file " + file + " must be a mapping of settings");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!KEYS.contains(field.getKey())) {
          throw new BadInputException(
              "config file "
                  + file
                  + " has unknown setting '"
                  + field.getKey()
                  + "'; known settings: "
                  + String.join(", ", new TreeSet<>(KEYS)));
        }
        if (!field.getValue().isValueNode()) {
          throw new BadInputException(
              "config file " + file + ": '" + field.getKey() + "' must be a single value");
        }
        values.put(field.getKey(), field.getValue().asText());
      }
    }
    return new ConfigFile(file, values);
  }

  public String get(String key) {
    return values.get(key);
  }

  public Path origin() {
    return origin;
  }
}
