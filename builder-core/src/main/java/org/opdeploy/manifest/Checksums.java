package org.opdeploy.manifest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opdeploy.error.BadInputException;

/**
 * The {@code sha256sum -c} format used by SHA256SUMS and the per-file {@code .sha256} files: {@code
 * <hex>␠␠<name>\n}, sorted by name, LF line ends.
 */
public final class Checksums {
  private static final Pattern LINE = Pattern.compile("([0-9a-f]{64}) [ *]([^/\\s][^/\\n]*)");

  private Checksums() {}

  /** Renders entries (name → hex) sorted by name. */
  public static String render(Map<String, String> sha256ByName) {
    StringBuilder out = new StringBuilder();
    new TreeMap<>(sha256ByName)
        .forEach((name, hex) -> out.append(hex).append("  ").append(name).append('\n'));
    return out.toString();
  }

  public static Map<String, String> parse(String text, String origin) throws BadInputException {
    Map<String, String> entries = new TreeMap<>();
    int lineNumber = 0;
    for (String line : text.split("\n", -1)) {
      lineNumber++;
      if (line.isEmpty()) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches() || m.group(2).equals("..") || m.group(2).equals(".")) {
        throw new BadInputException(origin + " line " + lineNumber + " is not '<sha256>  <file>'");
      }
      if (entries.put(m.group(2), m.group(1)) != null) {
        throw new BadInputException(origin + " lists " + m.group(2) + " twice");
      }
    }
    return entries;
  }

  public static Map<String, String> read(Path file) throws BadInputException, IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
  }
}
