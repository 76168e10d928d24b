package org.opdeploy.deploy.fetch;

import org.opdeploy.version.Version;

/**
 * What a deploy of {@code version} would receive, decided from the release's proven index without
 * downloading a stream: the stream this target would pick and its size.
 *
 * @param parent the local deployment the incremental stream applies to, null for the full stream
 * @param streamBytes the uncompressed size of the chosen stream, what btrfs receive would read
 * @param storedBytes the stored size of its files, what a download would fetch
 * @param alreadyDeployed whether the version is deployed here already (nothing would be received)
 */
public record FetchPlan(
    Version version, Version parent, long streamBytes, long storedBytes, boolean alreadyDeployed) {
  public boolean incremental() {
    return parent != null;
  }
}
