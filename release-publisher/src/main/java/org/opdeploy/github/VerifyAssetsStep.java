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
 * and the same SHA-256 as GitHub's {@code digest}. Only then may the release be published.
 */
final class VerifyAssetsStep {
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
    Map<String, GitHubAsset> remote =
        api.listAssets(release).stream()
            .collect(Collectors.toMap(GitHubAsset::name, Function.identity(), (a, b) -> a));
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
    return locals.stream().map(l -> remote.get(l.name())).toList();
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
