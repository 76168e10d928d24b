package org.opdeploy.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.LocatedInputException;
import org.opdeploy.error.Printable;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML file read as a Jackson tree, together with the line and column of every key and list
 * entry, so that a complaint about a value names {@code FILE:LINE:COLUMN} (as compilers do, and as
 * editors and terminals follow) instead of leaving the user to search the file.
 *
 * <p>Paths name a value as the readers of these files do: {@code health.command}, {@code
 * payload[0].from}, {@code steps[1]}.
 */
public final class YamlDocument {
  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private final Path file;
  private final String what;
  private final JsonNode root;
  private final Map<String, JsonLocation> positions;

  private YamlDocument(Path file, String what, JsonNode root, Map<String, JsonLocation> positions) {
    this.file = file;
    this.what = what;
    this.root = root;
    this.positions = Map.copyOf(positions);
  }

  /**
   * Reads {@code file}; {@code what} ("golden spec", "config file") starts every message. Invalid
   * YAML (a syntax error, a key given twice) is refused (exit 2) at its line and column.
   */
  public static YamlDocument read(Path file, String what) throws BadInputException {
    try {
      JsonNode root = YAML.readTree(file.toFile());
      return new YamlDocument(file, what, root, positions(file));
    } catch (JsonProcessingException e) {
      JsonLocation position = e.getLocation();
      throw new LocatedInputException(
          what + " " + located(file, position) + ": not valid YAML: " + problem(e),
          file,
          position == null ? 0 : Math.max(position.getLineNr(), 0));
    } catch (IOException e) {
      throw new BadInputException(what + " " + Printable.of(file) + " cannot be read: " + e);
    }
  }

  /** The document's top node; null or a missing node for an empty file. */
  public JsonNode root() {
    return root;
  }

  /**
   * {@code FILE:LINE:COLUMN} of the key or list entry at {@code path}, else of the nearest one
   * holding it (a missing key is reported where its mapping is), else {@code FILE}.
   */
  public String at(String path) {
    return located(file, position(path));
  }

  /**
   * The complaint {@code problem} about the value at {@code path}, as {@code WHAT FILE:LINE:COLUMN:
   * PROBLEM}, carrying the line for CI annotations.
   */
  public LocatedInputException refuse(String path, String problem) {
    JsonLocation position = position(path);
    return new LocatedInputException(
        what + " " + located(file, position) + ": " + problem,
        file,
        position == null ? 0 : Math.max(position.getLineNr(), 0));
  }

  /** Where the key or list entry at {@code path} starts, else the nearest one holding it. */
  private JsonLocation position(String path) {
    String key = path;
    while (!key.isEmpty()) {
      JsonLocation position = positions.get(key);
      if (position != null) {
        return position;
      }
      int cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('['));
      key = cut < 0 ? "" : key.substring(0, cut);
    }
    return null;
  }

  private static String located(Path file, JsonLocation position) {
    return position == null || position.getLineNr() < 1
        ? Printable.of(file)
        : Printable.of(file) + ":" + position.getLineNr() + ":" + position.getColumnNr();
  }

  /** The parser's complaint without the excerpt of the file SnakeYAML appends. */
  private static String problem(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblem() != null) {
      return marked.getProblem();
    }
    String message = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
    return message.lines().findFirst().orElse("").strip();
  }

  /** Where each key and list entry starts, by path: a second pass over the parser's tokens. */
  private static Map<String, JsonLocation> positions(Path file) throws IOException {
    Map<String, JsonLocation> positions = new HashMap<>();
    Deque<Container> open = new ArrayDeque<>();
    String field = "";
    try (JsonParser parser = YAML.createParser(file.toFile())) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.FIELD_NAME) {
          field = join(open.peek().path, parser.currentName());
          positions.putIfAbsent(field, parser.currentTokenLocation());
          continue;
        }
        if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          open.pop();
          continue;
        }
        String path = field;
        if (open.isEmpty()) {
          path = "";
        } else if (open.peek().array) {
          path = open.peek().path + "[" + open.peek().entries++ + "]";
          positions.putIfAbsent(path, parser.currentTokenLocation());
        }
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
          open.push(new Container(path, token == JsonToken.START_ARRAY));
        }
      }
    }
    return positions;
  }

  private static String join(String prefix, String key) {
    return prefix.isEmpty() ? key : prefix + "." + key;
  }

  /** A mapping or list being read, by its path. */
  private static final class Container {
    final String path;
    final boolean array;
    int entries;

    Container(String path, boolean array) {
      this.path = path;
      this.array = array;
    }
  }
}
