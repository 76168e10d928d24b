package org.opdeploy.github;

import org.opdeploy.error.OpdeployException;

/**
 * Turns the verified draft into a published release ({@code draft: false}); readers see it whole.
 */
final class PublishReleaseStep {
  private final GitHubApi api;
  private final GitHubRelease release;

  PublishReleaseStep(GitHubApi api, GitHubRelease release) {
    this.api = api;
    this.release = release;
  }

  GitHubRelease run() throws OpdeployException {
    if (!release.draft()) {
      return release;
    }
    GitHubRelease published = api.publish(release);
    if (published.draft()) {
      throw new OpdeployException(
          "GitHub kept release "
              + release.tagName()
              + " on "
              + api.describe()
              + " as a draft after publishing it; publish it from the web UI or run publish again");
    }
    return published;
  }
}
