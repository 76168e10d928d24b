package org.opdeploy.stream;

import java.time.Instant;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.manifest.ServiceAccount;

/**
 * What the caller knows about a release and the manifest carries but the send pipeline cannot find
 * out itself: the service unit and health check from the golden spec, the spec's SHA-256, the git
 * commit and tag of the build (null when unknown), an optional expiry, the service account the spec
 * names (null: the unit's own), the deployment repository and the payload's source (null when
 * unknown).
 */
public record ReleaseContext(
    String service,
    Manifest.Health health,
    String specSha256,
    String gitCommit,
    String gitTag,
    Instant expires,
    ServiceAccount serviceAccount,
    String gitRepository,
    Manifest.PayloadSource payload) {

  /** No service, health check, source or expiry: for tests and ad-hoc sends. */
  public static final ReleaseContext NONE = new ReleaseContext(null, null, null, null, null, null);

  /** A context without a service account, repository or payload source. */
  public ReleaseContext(
      String service,
      Manifest.Health health,
      String specSha256,
      String gitCommit,
      String gitTag,
      Instant expires) {
    this(service, health, specSha256, gitCommit, gitTag, expires, null, null, null);
  }

  public ReleaseContext withExpires(Instant value) {
    return new ReleaseContext(
        service,
        health,
        specSha256,
        gitCommit,
        gitTag,
        value,
        serviceAccount,
        gitRepository,
        payload);
  }

  public ReleaseContext withServiceAccount(ServiceAccount value) {
    return new ReleaseContext(
        service, health, specSha256, gitCommit, gitTag, expires, value, gitRepository, payload);
  }

  /** The same context with the deployment repository and the payload's source. */
  public ReleaseContext withOrigin(String repository, Manifest.PayloadSource payloadSource) {
    return new ReleaseContext(
        service,
        health,
        specSha256,
        gitCommit,
        gitTag,
        expires,
        serviceAccount,
        repository,
        payloadSource);
  }

  /** What the manifest's {@code source} says. */
  public Manifest.Source source() {
    return new Manifest.Source(gitCommit, gitTag, specSha256, gitRepository, payload);
  }
}
