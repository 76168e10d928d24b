package org.opdeploy.process;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The environment a child process starts with: never opdeploy's whole environment, only a small
 * allow-list taken from it (the program search path, the locale, the terminal, the home and
 * temporary folders), the names a call passes through on purpose, and the variables it sets. The
 * release secrets are never among them, whoever asks: a program that must not see them cannot leak
 * them into a golden, a stream or a log.
 */
public final class ChildEnvironment {
  /** The variables that hold opdeploy's secrets (DESIGN.md, "Commands"). */
  public static final Set<String> SECRETS =
      Set.of("GITHUB_TOKEN", "OPDEPLOY_SIGNING_KEY", "OPDEPLOY_SIGNING_PASSPHRASE");

  /** What every child gets from opdeploy's environment when opdeploy has it. */
  static final Set<String> ALLOWED =
      Set.of("PATH", "LANG", "LANGUAGE", "TZ", "TERM", "HOME", "TMPDIR");

  /** Proxy settings: passed through only by calls that download (debootstrap). */
  public static final Set<String> PROXIES =
      Set.of("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY");

  private ChildEnvironment() {}

  /**
   * The environment for {@code spec}: allowed and passed-through names from {@code parent}, then
   * the spec's own variables.
   *
   * @throws IllegalArgumentException when the spec sets or passes a secret
   */
  public static Map<String, String> of(Map<String, String> parent, ProcessSpec spec) {
    for (String name : spec.passedThrough()) {
      refuseSecret(name, spec);
    }
    for (String name : spec.environment().keySet()) {
      refuseSecret(name, spec);
    }
    Map<String, String> child = new TreeMap<>();
    parent.forEach(
        (name, value) -> {
          if (!SECRETS.contains(name) && (isAllowed(name) || spec.passedThrough().contains(name))) {
            child.put(name, value);
          }
        });
    child.putAll(spec.environment());
    return child;
  }

  static boolean isAllowed(String name) {
    return ALLOWED.contains(name) || name.startsWith("LC_");
  }

  private static void refuseSecret(String name, ProcessSpec spec) {
    if (SECRETS.contains(name)) {
      throw new IllegalArgumentException(
          name + " must never reach a child process (" + spec.argv().get(0) + ")");
    }
  }
}
