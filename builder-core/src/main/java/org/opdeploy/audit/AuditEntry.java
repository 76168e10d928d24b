package org.opdeploy.audit;

import java.time.Instant;
import java.util.Map;

/**
 * One line of an audit log: when, who, which command on which version, and how it ended. {@code
 * previous} is the SHA-256 of the preceding line (64 zeros for the first).
 */
public record AuditEntry(
    Instant time,
    String user,
    String command,
    String version,
    String result,
    Map<String, String> details,
    String previous) {

  public AuditEntry {
    details = Map.copyOf(details);
  }
}
