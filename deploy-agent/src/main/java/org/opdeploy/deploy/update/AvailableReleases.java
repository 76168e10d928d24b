package org.opdeploy.deploy.update;

import java.util.List;
import java.util.Optional;
import org.opdeploy.version.Version;

/**
 * The versions at a release source, oldest first, the target's active version, and the newest
 * version the track allows that is newer than the active one (the one {@code upgrade latest}
 * installs), if any.
 */
public record AvailableReleases(
    String source,
    Track track,
    List<AvailableRelease> releases,
    Optional<Version> active,
    Optional<Version> newest) {

  public AvailableReleases {
    releases = List.copyOf(releases);
  }
}
