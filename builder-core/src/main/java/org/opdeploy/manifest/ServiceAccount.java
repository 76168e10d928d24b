package org.opdeploy.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.opdeploy.error.BadInputException;

/**
 * Who the payload's service runs as on a target, from the golden spec's {@code service-account} and
 * carried in the manifest: a named user (which the golden's {@code /etc/passwd} defines) or
 * systemd's {@code DynamicUser=}, and the only capabilities it keeps. The target's drop-in applies
 * it with {@code User=}/{@code DynamicUser=}, {@code CapabilityBoundingSet=} and {@code
 * AmbientCapabilities=}.
 *
 * @param user the user name, or null with {@code dynamicUser}
 * @param dynamicUser true for systemd's {@code DynamicUser=yes}
 * @param capabilities capability names ({@code CAP_NET_ADMIN}), possibly empty: none at all
 */
public record ServiceAccount(String user, boolean dynamicUser, List<String> capabilities) {
  /** Every capability name Linux defines (capability.h, up to CAP_CHECKPOINT_RESTORE). */
  public static final Set<String> CAPABILITIES =
      Set.of(
          "CAP_CHOWN",
          "CAP_DAC_OVERRIDE",
          "CAP_DAC_READ_SEARCH",
          "CAP_FOWNER",
          "CAP_FSETID",
          "CAP_KILL",
          "CAP_SETGID",
          "CAP_SETUID",
          "CAP_SETPCAP",
          "CAP_LINUX_IMMUTABLE",
          "CAP_NET_BIND_SERVICE",
          "CAP_NET_BROADCAST",
          "CAP_NET_ADMIN",
          "CAP_NET_RAW",
          "CAP_IPC_LOCK",
          "CAP_IPC_OWNER",
          "CAP_SYS_MODULE",
          "CAP_SYS_RAWIO",
          "CAP_SYS_CHROOT",
          "CAP_SYS_PTRACE",
          "CAP_SYS_PACCT",
          "CAP_SYS_ADMIN",
          "CAP_SYS_BOOT",
          "CAP_SYS_NICE",
          "CAP_SYS_RESOURCE",
          "CAP_SYS_TIME",
          "CAP_SYS_TTY_CONFIG",
          "CAP_MKNOD",
          "CAP_LEASE",
          "CAP_AUDIT_WRITE",
          "CAP_AUDIT_CONTROL",
          "CAP_SETFCAP",
          "CAP_MAC_OVERRIDE",
          "CAP_MAC_ADMIN",
          "CAP_SYSLOG",
          "CAP_WAKE_ALARM",
          "CAP_BLOCK_SUSPEND",
          "CAP_AUDIT_READ",
          "CAP_PERFMON",
          "CAP_BPF",
          "CAP_CHECKPOINT_RESTORE");

  public ServiceAccount {
    capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
  }

  /**
   * A checked account: exactly one of {@code user} and {@code dynamicUser}, a POSIX-portable user
   * name, and known capability names (upper-cased; a missing {@code CAP_} prefix is added).
   *
   * @param where names the source (spec file and key, or manifest) in the error
   * @throws BadInputException (exit 2) naming the bad value
   */
  public static ServiceAccount of(
      String user, boolean dynamicUser, List<String> capabilities, String where)
      throws BadInputException {
    if (dynamicUser == (user != null)) {
      throw new BadInputException(where + ": name exactly one of 'user' and 'dynamic-user: true'");
    }
    if (user != null && !user.matches("[a-z_][a-z0-9_-]{0,31}")) {
      throw new BadInputException(
          where
              + ": '"
              + user
              + "' is not a valid user name (lower-case letters, digits,"
              + " '_' and '-', starting with a letter or '_', at most 32)");
    }
    List<String> names = new ArrayList<>();
    for (String given : capabilities == null ? List.<String>of() : capabilities) {
      String name = given == null ? "" : given.strip().toUpperCase(java.util.Locale.ROOT);
      name = name.startsWith("CAP_") ? name : "CAP_" + name;
      if (!CAPABILITIES.contains(name)) {
        throw new BadInputException(
            where
                + ": '"
                + given
                + "' is not a Linux capability (e.g. CAP_NET_ADMIN;"
                + " see capabilities(7))");
      }
      if (!names.contains(name)) {
        names.add(name);
      }
    }
    return new ServiceAccount(user, dynamicUser, names);
  }

  /** Checks an account read from a manifest: the same rules as the spec's. */
  public ServiceAccount checked(String where) throws BadInputException {
    return of(user, dynamicUser, capabilities, where);
  }
}
