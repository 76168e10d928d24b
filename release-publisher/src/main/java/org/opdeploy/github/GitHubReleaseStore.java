package org.opdeploy.github;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.http.HttpTransport;
import org.opdeploy.http.ResumableDownload;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.store.PublishRequest;
import org.opdeploy.store.PublishResult;
import org.opdeploy.store.ReleaseStore;
import org.opdeploy.store.RemoteAsset;
import org.opdeploy.version.Version;

/**
 * GitHub Releases as a release store ({@code github:OWNER/REPO}). Publishing creates a draft,
 * uploads and verifies every asset, then publishes; a re-run after any failure completes the same
 * release. Reading sees published releases, and drafts too when a token is set.
 */
public final class GitHubReleaseStore implements ReleaseStore {
  private static final Pattern OWNER_REPO =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,38}/(?!\\.\\.?$)[A-Za-z0-9._-]{1,100}");
  private final GitHubApi api;
  private final GitHubSettings settings;
  private final Map<Version, Map<String, GitHubAsset>> assetsByVersion = new ConcurrentHashMap<>();

  private GitHubReleaseStore(GitHubApi api, GitHubSettings settings) {
    this.api = api;
    this.settings = settings;
  }

  /** A store for {@code owner/repo}; refuses a malformed name (exit 2) before any request. */
  public static GitHubReleaseStore open(String ownerRepo, GitHubSettings settings)
      throws BadInputException {
    if (ownerRepo == null || !OWNER_REPO.matcher(ownerRepo).matches()) {
      throw new BadInputException(
          "'"
              + ownerRepo
              + "' is not a GitHub repository: expected"
              + " github:OWNER/REPO, e.g. github:acme/op-dbus");
    }
    OkHttpClient client = HttpTransport.newClient();
    return new GitHubReleaseStore(new GitHubApi(ownerRepo, settings, client), settings);
  }

  @Override
  public String describe() {
    return api.describe();
  }

  @Override
  public PublishResult publish(PublishRequest request, ProgressListener progress)
      throws OpdeployException {
    if (!api.hasToken()) {
      throw new OpdeployException(
          "GITHUB_TOKEN is not set: publishing to "
              + describe()
              + " needs a token with 'contents: write' permission");
    }
    List<LocalAsset> locals = new ScanReleaseFolderStep(request.directory()).run();

    FindOrCreateReleaseStep releases = new FindOrCreateReleaseStep(api, request, progress);
    progress.stepStarted("find release " + request.version());
    FindOrCreateReleaseStep.Found found = releases.run();
    GitHubRelease release = found.release();
    progress.info(
        (found.created() ? "created draft release " : "continuing release ")
            + release.tagName()
            + " on "
            + describe());
    progress.stepFinished("find release " + request.version());

    UploadAssetsStep.Result uploads;
    List<GitHubAsset> verified;
    for (int round = 1; ; round++) {
      progress.stepStarted("upload assets");
      uploads =
          new UploadAssetsStep(api, release, locals, settings.uploadConcurrency(), progress).run();
      progress.stepFinished("upload assets");

      progress.stepStarted("verify assets");
      verified = new VerifyAssetsStep(api, release, locals, progress).run();
      progress.stepFinished("verify assets");
      // Before publishing, the tag must still have this one release: a concurrent publisher may
      // have resolved duplicates to another; then this run completes that one instead.
      GitHubRelease kept = releases.resolve().orElse(release);
      if (kept.id() == release.id() || round >= 3) {
        break;
      }
      progress.info(
          "release "
              + release.id()
              + " of "
              + release.tagName()
              + " was a duplicate; continuing with "
              + kept.id());
      release = kept;
    }

    if (!request.draft()) {
      progress.stepStarted("publish release");
      release = new PublishReleaseStep(api, release).run();
      progress.stepFinished("publish release");
    }
    List<RemoteAsset> assets =
        verified.stream().map(a -> new RemoteAsset(a.name(), a.size(), a.sha256())).toList();
    assetsByVersion.remove(request.version());
    return new PublishResult(
        release.htmlUrl(), assets, uploads.uploaded(), uploads.skipped(), release.draft());
  }

  @Override
  public List<RemoteAsset> assets(Version version) throws OpdeployException {
    return remoteAssets(version).values().stream()
        .map(a -> new RemoteAsset(a.name(), a.size(), a.sha256()))
        .sorted(java.util.Comparator.comparing(RemoteAsset::name))
        .toList();
  }

  @Override
  public boolean retriesDownloads() {
    return true;
  }

  @Override
  public void download(Version version, RemoteAsset asset, Path partial, ProgressListener progress)
      throws OpdeployException {
    api.downloader().fetch(target(version, asset), partial, progress);
  }

  @Override
  public InputStream open(Version version, RemoteAsset asset, long offset)
      throws OpdeployException {
    return api.downloader().open(target(version, asset), offset);
  }

  /** Through the API with a token (private repositories), else the public download URL. */
  private ResumableDownload.Target target(Version version, RemoteAsset asset)
      throws OpdeployException {
    GitHubAsset remote =
        assetsByVersion.containsKey(version)
            ? assetsByVersion.get(version).get(asset.name())
            : null;
    if (remote == null) {
      remote = remoteAssets(version).get(asset.name());
    }
    if (remote == null) {
      throw new OpdeployException(
          "release "
              + version
              + " on "
              + describe()
              + " has no asset "
              + asset.name()
              + "; check the release's assets");
    }
    String what = "download " + asset.name() + " from " + describe();
    return settings.token() != null
        ? new ResumableDownload.Target(
            remote.apiUrl(),
            Map.of(
                "Accept",
                "application/octet-stream",
                "User-Agent",
                GitHubApi.USER_AGENT,
                "X-GitHub-Api-Version",
                "2022-11-28"),
            settings.token(),
            api.apiOrigin(),
            remote.size(),
            what)
        : new ResumableDownload.Target(
            remote.browserDownloadUrl(),
            Map.of("User-Agent", GitHubApi.USER_AGENT),
            null,
            null,
            remote.size(),
            what);
  }

  @Override
  public List<Version> versions() throws OpdeployException {
    return api.listReleases().stream()
        .map(GitHubRelease::tagName)
        .filter(Version::isValid)
        .map(GitHubReleaseStore::parse)
        .distinct()
        .sorted()
        .toList();
  }

  @Override
  public List<Version> publishedVersions() throws OpdeployException {
    return api.listReleases().stream()
        .filter(r -> !r.draft())
        .map(GitHubRelease::tagName)
        .filter(Version::isValid)
        .map(GitHubReleaseStore::parse)
        .distinct()
        .sorted()
        .toList();
  }

  /**
   * Deletes every release of the version's tag (drafts included), then the tag itself, so that a
   * pruned nightly leaves nothing behind and its name could be built again.
   */
  @Override
  public void delete(Version version) throws OpdeployException {
    if (!api.hasToken()) {
      throw new OpdeployException(
          "GITHUB_TOKEN is not set: deleting releases on "
              + describe()
              + " needs a token with 'contents: write' permission");
    }
    for (GitHubRelease release : api.listReleases()) {
      if (release.tagName().equals(version.text())) {
        api.deleteRelease(release);
      }
    }
    api.deleteTag(version.text());
    assetsByVersion.remove(version);
  }

  private Map<String, GitHubAsset> remoteAssets(Version version) throws OpdeployException {
    Optional<GitHubRelease> release =
        api.hasToken() ? api.findRelease(version.text()) : api.publishedRelease(version.text());
    if (release.isEmpty()) {
      throw new OpdeployException(
          "release "
              + version
              + " not found on "
              + describe()
              + (api.hasToken() ? "" : " (drafts are visible only with GITHUB_TOKEN)")
              + "; check the version and the repository");
    }
    Map<String, GitHubAsset> byName = new java.util.TreeMap<>();
    api.listAssets(release.get()).stream()
        .filter(GitHubAsset::isUploaded)
        .forEach(a -> byName.put(a.name(), a));
    assetsByVersion.put(version, byName);
    return byName;
  }

  private static Version parse(String tag) {
    try {
      return Version.parse(tag);
    } catch (BadInputException e) {
      throw new IllegalStateException(e); // filtered by isValid
    }
  }

  @Override
  public String toString() {
    return describe();
  }
}
