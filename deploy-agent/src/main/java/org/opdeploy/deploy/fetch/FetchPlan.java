package org.opdeploy.deploy.fetch;

import org.opdeploy.version.Version;

/**
 * What a deploy of {@code version} would receive, decided from the release's proven index
 * without downloading a stream: the stream this target would pick and its size.
 *
 * @param parent the local deployment the incremental stream applies to, null for the full stream
 * @param streamBytes the stored size of the chosen stream (all its parts)
 * @param alreadyDeployed whether the version is deployed here already (nothing would be received)
 */
public record FetchPlan(Version version, Version parent, long streamBytes, boolean alreadyDeployed) {
  public boolean incremental() {
    return parent != null;
  }
}
