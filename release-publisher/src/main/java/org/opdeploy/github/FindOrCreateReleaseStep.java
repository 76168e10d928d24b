package org.opdeploy.github;

import java.util.Optional;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.store.PublishRequest;

/**
 * Finds the release for the version's tag, drafts included, or creates it as a draft. When two
 * publishers race, GitHub answers the slower create with 422 {@code already_exists}: the loser
 * lists again and carries on with the winner's release, so a tag never gets two.
 */
final class FindOrCreateReleaseStep {
  private final GitHubApi api;
  private final PublishRequest request;

  FindOrCreateReleaseStep(GitHubApi api, PublishRequest request) {
    this.api = api;
    this.request = request;
  }

  /** The release, and whether this run created it. */
  record Found(GitHubRelease release, boolean created) {}

  Found run() throws OpdeployException {
    String tag = request.version().text();
    Optional<GitHubRelease> existing = api.findRelease(tag);
    if (existing.isPresent()) {
      return new Found(existing.get(), false);
    }
    String title = request.title() == null || request.title().isBlank() ? tag : request.title();
    Optional<GitHubRelease> created = api.createDraft(tag, title, request.notes(),
        request.prerelease() || request.version().isPrerelease());
    if (created.isPresent()) {
      return new Found(created.get(), true);
    }
    return new Found(api.findRelease(tag).orElseThrow(() -> new OpdeployException("GitHub says release "
        + tag + " already exists on " + api.describe() + " but does not list it; check the repository's"
        + " releases and tags, then run publish again")), false);
  }
}
