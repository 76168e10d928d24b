package org.opdeploy.build;

import org.opdeploy.golden.GoldenSpec;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.release.BuildSource;
import org.opdeploy.stream.ReleaseContext;

/** What a manifest carries besides its streams: from the golden spec and the build's source. */
final class ManifestContext {
  private ManifestContext() {}

  /**
   * The spec's service, health check, account and digest, and the source; {@code spec} may be null.
   */
  static ReleaseContext of(GoldenSpec spec, String specSha256, BuildSource source) {
    if (spec == null) {
      return new ReleaseContext(null, null, null, source.commit(), source.tag(), null)
          .withOrigin(source.repository(), source.payload());
    }
    Manifest.Health health =
        spec.health() == null
            ? null
            : new Manifest.Health(spec.health().command(), spec.health().timeout().toSeconds());
    return new ReleaseContext(
            spec.service(), health, specSha256, source.commit(), source.tag(), null)
        .withServiceAccount(spec.serviceAccount())
        .withOrigin(source.repository(), source.payload());
  }
}
