package org.opdeploy.deploy;

import org.opdeploy.audit.AuditLog;
import org.opdeploy.error.OpdeployException;

/**
 * {@code audit verify}: checks the hash chain of {@code <root>/audit.log}; returns the entry count.
 */
public final class VerifyAuditStep {
  private final AuditLog log;

  public VerifyAuditStep(AuditLog log) {
    this.log = log;
  }

  /** The number of entries; throws a VerificationException (exit 3) naming the first bad line. */
  public int run() throws OpdeployException {
    return log.verify();
  }
}
