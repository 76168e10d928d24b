package org.opdeploy.golden;

import java.time.Duration;
import org.opdeploy.version.Version;

/**
 * What the caller adds to the spec for one refresh.
 *
 * @param stepTimeout overrides the spec's {@code step-timeout} (from {@code --step-timeout}), or
 *     null
 * @param version the version being built, exported to steps as {@code OPDEPLOY_VERSION}, or null
 */
public record RefreshOptions(Duration stepTimeout, Version version) {
  public static RefreshOptions defaults() {
    return new RefreshOptions(null, null);
  }
}
