package org.opdeploy.github;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.store.PublishRequest;

/**
 * Finds the release for the version's tag, drafts included, or creates it as a draft, so that a tag
 * ends with one release. GitHub lets several drafts carry one tag (a draft makes no tag): two
 * publishers that both found nothing, or a create GitHub performed but answered with a 5xx and a
 * retry repeated, leave duplicates. So it finds before it creates, finds again before a retried
 * create, and resolves duplicates the same way in every run: the published release is kept, else
 * the oldest draft (lowest id); the other drafts are deleted. A published release is never deleted.
 */
final class FindOrCreateReleaseStep {
  private final GitHubApi api;
  private final PublishRequest request;
  private final ProgressListener progress;

  FindOrCreateReleaseStep(GitHubApi api, PublishRequest request, ProgressListener progress) {
    this.api = api;
    this.request = request;
    this.progress = progress;
  }

  /** The release, and whether this run created it. */
  record Found(GitHubRelease release, boolean created) {}

  Found run() throws OpdeployException {
    String tag = request.version().text();
    Optional<GitHubRelease> existing = resolve();
    if (existing.isPresent()) {
      return new Found(existing.get(), false);
    }
    String title = request.title() == null || request.title().isBlank() ? tag : request.title();
    Optional<GitHubRelease> created =
        api.createDraft(
            tag,
            title,
            request.notes(),
            request.prerelease() || request.version().isPrerelease(),
            this::resolve);
    // Another publisher may have created a draft of the tag at the same moment: resolve again.
    GitHubRelease kept =
        resolve()
            .orElseThrow(
                () ->
                    new OpdeployException(
                        "GitHub says release "
                            + tag
                            + " already exists on "
                            + api.describe()
                            + " but does not list it; check the repository's"
                            + " releases and tags, then run publish again"));
    return new Found(kept, created.isPresent() && created.get().id() == kept.id());
  }

  /**
   * The one release of the tag after deleting duplicate drafts: the published one, else the oldest
   * draft. Empty when the tag has none.
   */
  Optional<GitHubRelease> resolve() throws OpdeployException {
    String tag = request.version().text();
    List<GitHubRelease> tagged =
        api.listReleases().stream()
            .filter(r -> r.tagName().equals(tag))
            .sorted(Comparator.comparing(GitHubRelease::draft).thenComparingLong(GitHubRelease::id))
            .toList();
    if (tagged.isEmpty()) {
      return Optional.empty();
    }
    GitHubRelease keep = tagged.get(0);
    for (GitHubRelease other : tagged.subList(1, tagged.size())) {
      if (other.draft()) {
        api.deleteRelease(other);
        progress.info(
            "deleted duplicate draft release "
                + other.id()
                + " of "
                + tag
                + " on "
                + api.describe()
                + " (keeping "
                + (keep.draft() ? "the oldest draft " : "the published release ")
                + keep.id()
                + ")");
      }
    }
    return Optional.of(keep);
  }
}
