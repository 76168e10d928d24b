package org.opdeploy.secret;

import java.util.Arrays;

/**
 * A token, key or passphrase. It never prints itself: {@link #toString()} is a fixed mask, so a
 * secret that slips into a log line, exception message or JSON document shows nothing.
 */
public final class Secret {
  private final char[] value;

  private Secret(char[] value) {
    this.value = value;
  }

  public static Secret of(String value) {
    return new Secret(value.toCharArray());
  }

  /** The secret from the environment variable, or null when it is unset or empty. */
  public static Secret fromEnvironment(java.util.Map<String, String> env, String variable) {
    String value = env.get(variable);
    return value == null || value.isEmpty() ? null : of(value);
  }

  /** The clear text, for the one place that must send or decrypt with it. */
  public String reveal() {
    return new String(value);
  }

  public char[] revealChars() {
    return value.clone();
  }

  public boolean isEmpty() {
    return value.length == 0;
  }

  /** Overwrites the value in memory; the secret is empty afterwards. */
  public void destroy() {
    Arrays.fill(value, '\0');
  }

  @Override
  public String toString() {
    return "****";
  }
}
