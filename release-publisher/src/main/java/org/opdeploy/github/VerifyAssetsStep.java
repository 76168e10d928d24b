package org.opdeploy.github;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.error.VerificationException;
import org.opdeploy.progress.ProgressListener;

/**
 * Lists the release once more and proves every local file is there, complete, with the same size
 * and the same SHA-256 as GitHub's {@code digest}. Only then may the release be published. An asset
 * another run of the same tag is still uploading (missing or a {@code starter} for a moment) is
 * waited for a few seconds before the release counts as incomplete.
 */
final class VerifyAssetsStep {
  /** Pauses before listing again while an asset is missing or incomplete: 7.5 s in all. */
  private static final long[] PAUSES_MILLIS = {500, 1000, 2000, 4000};

  private final GitHubApi api;
  private final GitHubRelease release;
  private final List<LocalAsset> locals;
  private final ProgressListener progress;

  VerifyAssetsStep(
      GitHubApi api, GitHubRelease release, List<LocalAsset> locals, ProgressListener progress) {
    this.api = api;
    this.release = release;
    this.locals = locals;
    this.progress = progress;
  }

  List<GitHubAsset> run() throws OpdeployException {
    Map<String, GitHubAsset> remote = list();
    for (int attempt = 0; attempt < PAUSES_MILLIS.length && !allUploaded(remote); attempt++) {
      pause(PAUSES_MILLIS[attempt]);
      remote = list();
    }
    for (LocalAsset local : locals) {
      GitHubAsset asset = remote.get(local.name());
      if (asset == null || !asset.isUploaded()) {
        throw new OpdeployException(
            local.name()
                + " is "
                + (asset == null ? "missing" : "incomplete (" + asset.state() + ")")
                + " on release "
                + release.tagName()
                + " of "
                + api.describe()
                + " after uploading; run publish again");
      }
      if (asset.sha256() == null) {
        if (asset.size() != local.size()) {
          throw mismatch(local, asset);
        }
        progress.warn(
            "GitHub reported no digest for " + local.name() + "; only its size was checked");
      } else if (!local.isSameAs(asset)) {
        throw mismatch(local, asset);
      }
    }
    Map<String, GitHubAsset> proven = remote;
    return locals.stream().map(l -> proven.get(l.name())).toList();
  }

  private Map<String, GitHubAsset> list() throws OpdeployException {
    return api.listAssets(release).stream()
        .collect(Collectors.toMap(GitHubAsset::name, Function.identity(), (a, b) -> a));
  }

  private boolean allUploaded(Map<String, GitHubAsset> remote) {
    return locals.stream()
        .map(l -> remote.get(l.name()))
        .allMatch(a -> a != null && a.isUploaded());
  }

  private static void pause(long millis) throws OpdeployException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OpdeployException("interrupted while checking the uploaded assets", e);
    }
  }

  private VerificationException mismatch(LocalAsset local, GitHubAsset asset)
      throws OpdeployException {
    return new VerificationException(
        local.name()
            + " on "
            + api.describe()
            + " differs from the "
            + local.expectedFrom()
            + " (GitHub: "
            + asset.size()
            + " bytes, sha256 "
            + asset.sha256()
            + "; local: "
            + local.size()
            + " bytes, sha256 "
            + local.sha256()
            + "); "
            + (local.expectedFrom().equals("SHA256SUMS")
                ? "check the folder with sha256sum -c SHA256SUMS, then "
                : "")
            + "run publish again to replace it");
  }
}
