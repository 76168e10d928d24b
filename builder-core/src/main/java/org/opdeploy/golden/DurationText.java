package org.opdeploy.golden;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opdeploy.error.BadInputException;

/**
 * Durations as people write them in specs and flags: {@code 90s}, {@code 60m}, {@code 1h30m},
 * {@code 500ms}; a bare number means seconds.
 */
public final class DurationText {
  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h))+|\\d+");
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  private DurationText() {}

  /** Parses {@code text}; {@code what} names the setting in the error message. */
  public static Duration parse(String text, String what) throws BadInputException {
    String value = text == null ? "" : text.strip();
    if (!WHOLE.matcher(value).matches()) {
      throw new BadInputException(
          what + ": '" + text + "' is not a duration: write e.g. 30s, 10m, 1h30m");
    }
    try {
      if (value.chars().allMatch(Character::isDigit)) {
        return positive(Duration.ofSeconds(Long.parseLong(value)), text, what);
      }
      Duration total = Duration.ZERO;
      Matcher part = PART.matcher(value);
      while (part.find()) {
        long n = Long.parseLong(part.group(1));
        total =
            total.plus(
                switch (part.group(2)) {
                  case "ms" -> Duration.ofMillis(n);
                  case "s" -> Duration.ofSeconds(n);
                  case "m" -> Duration.ofMinutes(n);
                  default -> Duration.ofHours(n);
                });
      }
      return positive(total, text, what);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new BadInputException(what + ": '" + text + "' is too large");
    }
  }

  private static Duration positive(Duration d, String text, String what) throws BadInputException {
    if (d.isZero()) {
      throw new BadInputException(what + ": '" + text + "' must be longer than zero");
    }
    return d;
  }

  /** The short form used in messages: {@code 1h30m}, {@code 45s}. */
  public static String format(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.toSeconds();
    StringBuilder out = new StringBuilder();
    if (s >= 3600) {
      out.append(s / 3600).append('h');
    }
    if (s % 3600 >= 60) {
      out.append(s % 3600 / 60).append('m');
    }
    if (s % 60 != 0 || out.length() == 0) {
      out.append(s % 60).append('s');
    }
    return out.toString();
  }
}
