package org.opdeploy.cli.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opdeploy.error.BadInputException;

/** Parses durations as people write them in settings: {@code 90s}, {@code 60m}, {@code 2h}. */
public final class DurationParser {
  private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

  private DurationParser() {}

  public static Duration parse(String text, String setting) throws BadInputException {
    Matcher m = FORM.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new BadInputException("invalid " + setting + " '" + text + "': use e.g. 90s, 60m or 2h");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
