package org.opdeploy.error;

/**
 * Text from outside (a path, a file name) made safe for one line of output: control characters such
 * as a newline are shown escaped ({@code \n}, {@code \x1b}) so that a crafted name cannot forge or
 * split a message line.
 */
public final class Printable {
  private Printable() {}

  public static String of(Object value) {
    String text = String.valueOf(value);
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String escaped =
          switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : null;
          };
      if (escaped != null && out == null) {
        out = new StringBuilder(text.substring(0, i));
      }
      if (out != null) {
        out.append(escaped != null ? escaped : String.valueOf(c));
      }
    }
    return out == null ? text : out.toString();
  }
}
