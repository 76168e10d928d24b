package org.opdeploy.github;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;

/**
 * Brings the release's assets in line with the folder: an asset already complete with the same size
 * and digest is skipped, anything else of the same name (a {@code starter}, a mismatch) is
 * replaced, missing ones are uploaded, {@code concurrency} at a time. Assets the folder lacks are
 * deleted from a draft (it must publish exactly the sealed folder) and only reported on a published
 * release.
 */
final class UploadAssetsStep {
  private final GitHubApi api;
  private final GitHubRelease release;
  private final List<LocalAsset> locals;
  private final int concurrency;
  private final ProgressListener progress;

  UploadAssetsStep(
      GitHubApi api,
      GitHubRelease release,
      List<LocalAsset> locals,
      int concurrency,
      ProgressListener progress) {
    this.api = api;
    this.release = release;
    this.locals = locals;
    this.concurrency = concurrency;
    this.progress = progress;
  }

  /** Names uploaded by this run and names skipped because they were already there. */
  record Result(List<String> uploaded, List<String> skipped) {}

  Result run() throws OpdeployException {
    Map<String, GitHubAsset> remote = new HashMap<>();
    api.listAssets(release).forEach(a -> remote.put(a.name(), a));
    List<String> skipped = new ArrayList<>();
    List<UploadAssetStep> uploads = new ArrayList<>();
    List<LocalAsset> pending = new ArrayList<>();
    for (LocalAsset local : locals) {
      GitHubAsset existing = remote.remove(local.name());
      if (existing != null && local.isSameAs(existing)) {
        skipped.add(local.name());
      } else {
        pending.add(local);
        uploads.add(new UploadAssetStep(api, release, local, existing, progress));
      }
    }
    if (release.immutable() && !release.draft() && !pending.isEmpty()) {
      throw new OpdeployException(
          "release "
              + release.tagName()
              + " on "
              + api.describe()
              + " is published and immutable but lacks "
              + names(pending)
              + "; it cannot be changed:"
              + " publish a new version");
    }
    for (GitHubAsset extra : remote.values()) {
      if (release.draft()) {
        progress.info(
            "deleting "
                + extra.name()
                + " from draft "
                + release.tagName()
                + ": it is not in the release folder");
        api.deleteAsset(extra);
      } else {
        progress.warn(
            "release "
                + release.tagName()
                + " holds "
                + extra.name()
                + ", which is not in the release folder");
      }
    }
    uploadAll(uploads);
    return new Result(names(pending), skipped);
  }

  private void uploadAll(List<UploadAssetStep> uploads) throws OpdeployException {
    if (uploads.isEmpty()) {
      return;
    }
    AtomicInteger thread = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(concurrency, uploads.size()),
            r -> {
              Thread t = new Thread(r, "opdeploy-upload-" + thread.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<GitHubAsset>> running = new ArrayList<>();
      for (UploadAssetStep upload : uploads) {
        running.add(pool.submit(upload::run));
      }
      OpdeployException first = null;
      for (Future<GitHubAsset> future : running) {
        try {
          future.get();
        } catch (ExecutionException e) {
          if (first == null) {
            first =
                e.getCause() instanceof OpdeployException o
                    ? o
                    : new OpdeployException(
                        "upload to " + api.describe() + " failed: " + e.getCause(), e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new OpdeployException("publishing to " + api.describe() + " was interrupted", e);
        }
      }
      if (first != null) {
        throw first;
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<String> names(List<LocalAsset> assets) {
    return assets.stream().map(LocalAsset::name).sorted(Comparator.naturalOrder()).toList();
  }
}
