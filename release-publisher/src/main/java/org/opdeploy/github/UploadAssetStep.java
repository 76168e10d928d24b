package org.opdeploy.github;

import org.opdeploy.error.OpdeployException;
import org.opdeploy.http.FileRequestBody;
import org.opdeploy.progress.ProgressListener;

/**
 * Uploads one file as a release asset, streaming it from disk. A failed try may still have left
 * something behind (a 502 after GitHub stored the bytes, a {@code starter} asset from a broken
 * connection, a 422 {@code already_exists}), so every retry lists the release first: a complete
 * asset with the same digest is kept, anything else is deleted and sent again.
 */
final class UploadAssetStep {
  private final GitHubApi api;
  private final GitHubRelease release;
  private final LocalAsset local;
  private final GitHubAsset stale;
  private final ProgressListener progress;

  /** {@code stale} is an existing asset of the same name that must go first, or null. */
  UploadAssetStep(
      GitHubApi api,
      GitHubRelease release,
      LocalAsset local,
      GitHubAsset stale,
      ProgressListener progress) {
    this.api = api;
    this.release = release;
    this.local = local;
    this.stale = stale;
    this.progress = progress;
  }

  GitHubAsset run() throws OpdeployException {
    return api.retrier()
        .run(
            "upload " + local.name() + " to " + api.describe(),
            attempt -> {
              GitHubAsset existing = attempt == 1 ? stale : current();
              if (existing != null) {
                if (local.isSameAs(existing)) {
                  progress.info(
                      local.name() + " reached GitHub before the connection failed; keeping it");
                  return existing;
                }
                api.deleteAsset(existing);
              }
              FileRequestBody body =
                  new FileRequestBody(
                      local.path(), local.size(), "upload " + local.name(), progress);
              return api.uploadOnce(release, local.name(), body);
            });
  }

  private GitHubAsset current() throws OpdeployException {
    return api.listAssets(release).stream()
        .filter(a -> a.name().equals(local.name()))
        .findFirst()
        .orElse(null);
  }
}
