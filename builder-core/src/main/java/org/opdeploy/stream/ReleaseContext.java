package org.opdeploy.stream;

import java.time.Instant;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.manifest.ServiceAccount;

/**
 * What the caller knows about a release and the manifest carries but the send pipeline cannot find
 * out itself: the service unit and health check from the golden spec, the spec's SHA-256, the git
 * commit and tag of the build (null when unknown), an optional expiry, and the service account the
 * spec names (null: the unit's own).
 */
public record ReleaseContext(
    String service,
    Manifest.Health health,
    String specSha256,
    String gitCommit,
    String gitTag,
    Instant expires,
    ServiceAccount serviceAccount) {

  /** No service, health check, source or expiry: for tests and ad-hoc sends. */
  public static final ReleaseContext NONE = new ReleaseContext(null, null, null, null, null, null);

  /** A context without a service account. */
  public ReleaseContext(
      String service,
      Manifest.Health health,
      String specSha256,
      String gitCommit,
      String gitTag,
      Instant expires) {
    this(service, health, specSha256, gitCommit, gitTag, expires, null);
  }

  public ReleaseContext withExpires(Instant value) {
    return new ReleaseContext(
        service, health, specSha256, gitCommit, gitTag, value, serviceAccount);
  }

  public ReleaseContext withServiceAccount(ServiceAccount value) {
    return new ReleaseContext(service, health, specSha256, gitCommit, gitTag, expires, value);
  }
}
