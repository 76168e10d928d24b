package org.opdeploy.audit;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.opdeploy.version.Version;

/**
 * One line of an audit log: when, who, which command on which version, and how it ended. {@code
 * previous} is the SHA-256 of the preceding line (64 zeros for the first). {@code user} is the
 * person ({@link Operator}: the sudo caller under sudo); {@code details} say what the command did
 * (versions from and to, stream kind and bytes, source or destination) and how it ran.
 */
public record AuditEntry(
    Instant time,
    String user,
    String command,
    Version version,
    String result,
    Map<String, String> details,
    String previous) {

  public AuditEntry {
    // Sorted, so that a line reads the same way every time; absent values are left out.
    Map<String, String> sorted = new TreeMap<>();
    (details == null ? Map.<String, String>of() : details)
        .forEach(
            (key, value) -> {
              if (value != null) {
                sorted.put(key, value);
              }
            });
    details = Collections.unmodifiableMap(sorted);
  }
}
