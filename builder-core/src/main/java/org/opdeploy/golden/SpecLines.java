package org.opdeploy.golden;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line of each key of a YAML file, by dotted path ({@code health.command}; list items share
 * their list's path), so that a complaint about a key can name its line. Read only when a spec is
 * refused.
 */
final class SpecLines {
  private static final Pattern UNKNOWN_KEY = Pattern.compile("^unknown key '([^']+)'");
  private static final Pattern KEY_FIRST =
      Pattern.compile(
          "^([A-Za-z][\\w-]*(?:\\[\\d+])?(?:\\.[A-Za-z][\\w-]*(?:\\[\\d+])?)*)(?:: |\\.)");
  private final Map<String, Integer> lines;

  private SpecLines(Map<String, Integer> lines) {
    this.lines = lines;
  }

  static SpecLines of(Path file) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser parser = new YAMLFactory().createParser(file.toFile())) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.FIELD_NAME) {
          lines.putIfAbsent(
              path(parser.getParsingContext()), parser.getTokenLocation().getLineNr());
        }
      }
    } catch (IOException e) {
      // What could be read until then is all there is.
    }
    return new SpecLines(lines);
  }

  /** The line a complaint of {@link GoldenSpecParser} is about, 0 when it names no key. */
  int lineOf(String complaint) {
    Matcher unknown = UNKNOWN_KEY.matcher(complaint);
    Matcher first = KEY_FIRST.matcher(complaint);
    String key = unknown.find() ? unknown.group(1) : first.find() ? first.group(1) : null;
    if (key == null) {
      return 0;
    }
    // The key itself, else the nearest enclosing key that exists (a missing key's parent).
    for (String path = key.replaceAll("\\[\\d+]", ""); !path.isEmpty(); ) {
      Integer line = lines.get(path);
      if (line != null) {
        return line;
      }
      int dot = path.lastIndexOf('.');
      path = dot < 0 ? "" : path.substring(0, dot);
    }
    return 0;
  }

  private static String path(JsonStreamContext context) {
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext c = context; c != null; c = c.getParent()) {
      if (c.inObject() && c.getCurrentName() != null) {
        parts.addFirst(c.getCurrentName());
      }
    }
    return String.join(".", parts);
  }
}
