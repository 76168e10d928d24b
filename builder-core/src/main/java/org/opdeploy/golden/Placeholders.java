package org.opdeploy.golden;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opdeploy.error.BadInputException;

/**
 * Expands {@code ${NAME}} (and the shell's {@code ${NAME:-default}}) from an environment. An unset
 * variable without a default is an error rather than an empty string, because an empty path would
 * silently install the wrong file.
 */
final class Placeholders {
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private final Map<String, String> env;

  Placeholders(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** Whether every variable in {@code text} is set or has a default. */
  boolean resolvable(String text) {
    Matcher m = VARIABLE.matcher(text);
    while (m.find()) {
      if (env.get(m.group(1)) == null && m.group(2) == null) {
        return false;
      }
    }
    return true;
  }

  /** Expands {@code text}; {@code where} tells the user which key of which file held it. */
  String expand(String text, String where) throws BadInputException {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = env.get(m.group(1));
      if (value == null || (value.isEmpty() && m.group(2) != null)) {
        if (m.group(2) == null) {
          throw new BadInputException(
              where
                  + ": environment variable "
                  + m.group(1)
                  + " is not set: export "
                  + m.group(1)
                  + "=... before running");
        }
        value = m.group(2);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    if (out.indexOf("${") >= 0) {
      throw new BadInputException(
          where + ": malformed placeholder in '" + text + "': write ${NAME}");
    }
    return out.toString();
  }
}
