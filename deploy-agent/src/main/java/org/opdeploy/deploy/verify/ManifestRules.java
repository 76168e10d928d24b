package org.opdeploy.deploy.verify;

import java.time.Clock;
import java.time.Instant;
import org.opdeploy.deploy.state.TargetState;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.error.VerificationException;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.version.Version;

/**
 * What a target demands of a signed manifest beyond its signature and its consistency with its file
 * name and SHA256SUMS ({@link org.opdeploy.seal.SignedIndexVerifier}): it is the version asked for,
 * for the payload this target runs, not past its {@code expires}, and not older than the highest
 * version ever installed on the same track unless a downgrade was asked for. Its service account
 * must name a valid user and known capabilities (exit 2), checked here, before any stream is read.
 */
public final class ManifestRules {
  private final Clock clock;
  private final boolean allowDowngrade;

  public ManifestRules(Clock clock, boolean allowDowngrade) {
    this.clock = clock;
    this.allowDowngrade = allowDowngrade;
  }

  /**
   * Checks {@code manifest} (read from {@code origin}) for {@code version} on a target in {@code
   * state}.
   */
  public void check(Manifest manifest, String origin, Version version, TargetState state)
      throws OpdeployException {
    if (!version.equals(manifest.version())) {
      throw new VerificationException(
          origin
              + " is for version "
              + manifest.version()
              + ", not "
              + version
              + ": the release is mislabelled; do not deploy it");
    }
    if (state.name() != null && !state.name().equals(manifest.name())) {
      throw new VerificationException(
          origin
              + " is a release of "
              + manifest.name()
              + " but this target runs "
              + state.name()
              + ": check --from");
    }
    if (manifest.serviceAccount() != null) {
      manifest.serviceAccount().checked(origin + ": service_account");
    }
    Instant now = clock.instant();
    if (manifest.expires() != null && !now.isBefore(manifest.expires())) {
      throw new VerificationException(
          origin
              + " expired at "
              + manifest.expires()
              + ": publish a fresh release instead of deploying a stale one");
    }
    var highest = state.highestOnTrackOf(version);
    if (!allowDowngrade && highest.isPresent() && version.compareTo(highest.get()) < 0) {
      throw new VerificationException(
          version
              + " is older than "
              + highest.get()
              + ", the highest version installed here: pass --allow-downgrade if that is intended");
    }
  }
}
