package org.opdeploy.audit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who runs a command, as an audit entry names them: the person, not only the account. Under {@code
 * sudo} the account is root but the person is {@code SUDO_USER}: the entry's {@code user} is that
 * person and its details say {@code "via": "sudo"} and {@code "account": "root"}. Without sudo,
 * {@code user} is the account and nothing is added.
 *
 * @param user the person the entry names
 * @param details what an entry adds about how they ran it (empty without sudo)
 */
public record Operator(String user, Map<String, String> details) {
  public Operator {
    details = Map.copyOf(details);
  }

  /** The operator of this process: its account and environment. */
  public static Operator current() {
    return of(System.getenv(), System.getProperty("user.name", "?"));
  }

  /**
   * The operator of a process running as {@code account} with environment {@code env}: the sudo
   * caller when sudo started it ({@code SUDO_USER} set and the account is the one sudo switched
   * to).
   */
  public static Operator of(Map<String, String> env, String account) {
    String sudoUser = env.get("SUDO_USER");
    if (sudoUser == null || sudoUser.isBlank() || sudoUser.equals(account)) {
      return new Operator(account, Map.of());
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("via", "sudo");
    details.put("account", account);
    return new Operator(sudoUser, details);
  }
}
