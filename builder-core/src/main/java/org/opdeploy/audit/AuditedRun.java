package org.opdeploy.audit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.lock.RunLock;

/**
 * Runs one mutating command the way every one must run, on the build pool and on a target alike:
 * holding the run lock for its whole length, and leaving one line in the audit log (time, user,
 * command, version, result) whether it succeeded or failed.
 */
public final class AuditedRun {
  private final Path lockFile;
  private final AuditLog audit;
  private final Duration lockWait;

  public AuditedRun(Path lockFile, AuditLog audit, Duration lockWait) {
    this.lockFile = lockFile;
    this.audit = audit;
    this.lockWait = lockWait;
  }

  /** The work of one command. */
  @FunctionalInterface
  public interface Work<T> {
    T run() throws OpdeployException;
  }

  /** Runs {@code work} under the lock and audits it; {@code version} may be null. */
  public <T> T locked(String command, String version, Work<T> work) throws OpdeployException {
    try (RunLock lock = RunLock.acquire(lockFile, command, lockWait)) {
      T result;
      try {
        result = work.run();
      } catch (OpdeployException | RuntimeException e) {
        String code = e instanceof OpdeployException o ? Integer.toString(o.exitCode().code()) : "1";
        try {
          audit.append(command, version, "failed", Map.of("exit", code, "error", String.valueOf(e.getMessage())));
        } catch (OpdeployException auditFailure) {
          // The command's own failure is what the user must see (a full disk fails both).
          e.addSuppressed(auditFailure);
        }
        throw e;
      }
      audit.append(command, version, "ok", Map.of());
      return result;
    }
  }
}
