package org.opdeploy.stream;

import java.time.Instant;
import org.opdeploy.manifest.Manifest;

/**
 * What the caller knows about a release and the manifest carries but the send pipeline cannot
 * find out itself: the service unit and health check from the golden spec, the spec's SHA-256,
 * the git commit and tag of the build (null when unknown) and an optional expiry.
 */
public record ReleaseContext(
    String service,
    Manifest.Health health,
    String specSha256,
    String gitCommit,
    String gitTag,
    Instant expires) {

  /** No service, health check, source or expiry: for tests and ad-hoc sends. */
  public static final ReleaseContext NONE = new ReleaseContext(null, null, null, null, null, null);

  public ReleaseContext withExpires(Instant value) {
    return new ReleaseContext(service, health, specSha256, gitCommit, gitTag, value);
  }
}
