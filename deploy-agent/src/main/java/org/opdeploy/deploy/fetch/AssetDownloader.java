package org.opdeploy.deploy.fetch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import org.opdeploy.deploy.layout.TargetLayout;
import org.opdeploy.deploy.release.FetchedFile;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.error.VerificationException;
import org.opdeploy.hash.GrowingFileDigest;
import org.opdeploy.hash.Sha256;
import org.opdeploy.http.RetryPolicy;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.progress.ProgressEvent;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.store.ReleaseSource;
import org.opdeploy.store.RemoteAsset;
import org.opdeploy.version.Version;

/**
 * Downloads one asset into a cache folder: into {@code NAME.partial} first, continuing after the
 * bytes an earlier, interrupted run left there, retrying transient failures, digesting the bytes as
 * they arrive, and renaming to {@code NAME} only once the file has its full size. A source that
 * retries by itself (HTTP) is tried once here: retries must not multiply.
 */
public final class AssetDownloader {
  private final ReleaseSource source;
  private final ProgressListener progress;
  private final RetryPolicy retry;

  public AssetDownloader(ReleaseSource source, ProgressListener progress, RetryPolicy retry) {
    this.source = source;
    this.progress = progress;
    this.retry = retry;
  }

  /**
   * Returns the complete file. With {@code provenSha256} (the asset's line in the proven
   * SHA256SUMS), a file an earlier run completed is reused only when its digest matches it, and a
   * download (perhaps resumed after a corrupted {@code .partial}) that does not match is removed
   * and fetched once more from the start; a second mismatch is refused (exit 3), leaving nothing
   * behind. Without it (the index, proven afterwards) the file is always fetched from this source.
   */
  public FetchedFile download(
      Version version, RemoteAsset asset, Path directory, String provenSha256)
      throws OpdeployException {
    try {
      AssetNames.checkFileName(asset.name());
    } catch (BadInputException e) {
      throw new VerificationException(
          source.describe()
              + " offers "
              + e.getMessage()
              + " in release "
              + version
              + ": refusing to write it",
          e);
    }
    Path target = directory.resolve(asset.name());
    Path partial = TargetLayout.partial(directory, asset.name());
    try {
      Files.createDirectories(directory);
      if (provenSha256 != null
          && Files.isRegularFile(target)
          && Files.size(target) == asset.size()) {
        String cached = Sha256.ofFile(target);
        if (Sha256.same(provenSha256, cached)) {
          progress.progress(ProgressEvent.finished(task(asset), asset.size()));
          return FetchedFile.cached(asset.name(), target, asset.size(), cached);
        }
        progress.warn(
            "cached "
                + asset.name()
                + " does not match its SHA-256 in the signed "
                + AssetNames.SHA256SUMS
                + "; fetching it again from "
                + source.describe());
      }
      Files.deleteIfExists(target);
      FetchedFile fetched = fetchToPartial(version, asset, partial, target);
      if (provenSha256 != null && !Sha256.same(provenSha256, fetched.sha256())) {
        Files.deleteIfExists(partial);
        progress.warn(
            asset.name()
                + " from "
                + source.describe()
                + " does not match its SHA-256 in "
                + AssetNames.SHA256SUMS
                + " (a corrupted partial download or a bad copy); fetching it again from the start");
        fetched = fetchToPartial(version, asset, partial, target);
        if (!Sha256.same(provenSha256, fetched.sha256())) {
          Files.deleteIfExists(partial);
          throw new VerificationException(
              asset.name()
                  + " does not match its SHA-256 in "
                  + AssetNames.SHA256SUMS
                  + ", fetched twice from "
                  + source.describe()
                  + ": the source is corrupt or tampered with;"
                  + " nothing of it was kept");
        }
      }
      sync(partial);
      Files.move(
          partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      progress.progress(ProgressEvent.finished(task(asset), fetched.size()));
      return FetchedFile.cached(asset.name(), target, fetched.size(), fetched.sha256());
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot store " + asset.name() + " in " + directory + ": " + e.getMessage(), e);
    }
  }

  /**
   * Completes {@code partial} (resuming after what it holds) and digests it; {@code target} is what
   * it will become.
   */
  private FetchedFile fetchToPartial(Version version, RemoteAsset asset, Path partial, Path target)
      throws OpdeployException, IOException {
    if (Files.exists(partial) && Files.size(partial) > asset.size()) {
      Files.delete(partial);
    }
    try (GrowingFileDigest digest = new GrowingFileDigest(partial)) {
      fetchWithRetries(version, asset, partial, digest);
      long size = digest.catchUp();
      if (size != asset.size()) {
        throw new OpdeployException(
            "download of "
                + asset.name()
                + " from "
                + source.describe()
                + " ended at "
                + size
                + " of "
                + asset.size()
                + " bytes; run the command again to continue it");
      }
      return FetchedFile.cached(asset.name(), target, size, digest.hex());
    }
  }

  private void fetchWithRetries(
      Version version, RemoteAsset asset, Path partial, GrowingFileDigest digest)
      throws OpdeployException, IOException {
    // Digest on a second core while the source writes: the download and the hash overlap.
    // Stopped by a flag, never by interrupt: an interrupt would close the digest's file channel.
    AtomicBoolean done = new AtomicBoolean();
    Thread follower = new Thread(() -> follow(digest, done), "digest " + asset.name());
    follower.setDaemon(true);
    follower.start();
    try {
      attempts(version, asset, partial, digest);
    } finally {
      done.set(true);
      try {
        follower.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void follow(GrowingFileDigest digest, AtomicBoolean done) {
    try {
      while (!done.get()) {
        long before = digest.position();
        if (digest.catchUp() == before) {
          Thread.sleep(2);
        }
      }
    } catch (IOException | InterruptedException e) {
      // The final catch-up on the calling thread digests whatever is left and reports errors.
    }
  }

  private void attempts(Version version, RemoteAsset asset, Path partial, GrowingFileDigest digest)
      throws OpdeployException, IOException {
    ProgressListener following = new TaskListener(progress, asset);
    int attempts = source.retriesDownloads() ? 1 : retry.maxAttempts();
    for (int attempt = 1; ; attempt++) {
      long before = digest.catchUp();
      if (before == asset.size()) {
        return;
      }
      try {
        source.download(version, asset, partial, following);
        return;
      } catch (OpdeployException e) {
        if (e.exitCode() != ExitCode.FAILED || attempt >= attempts) {
          throw e;
        }
        progress.warn(
            "download of "
                + asset.name()
                + " failed ("
                + e.getMessage()
                + "); retrying after "
                + digest.catchUp()
                + " bytes");
        pauseBefore(attempt + 1);
      }
    }
  }

  private void pauseBefore(int nextAttempt) throws OpdeployException {
    try {
      retry.pauseBefore(nextAttempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OpdeployException("interrupted while waiting to retry a download", e);
    }
  }

  private static void sync(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private static String task(RemoteAsset asset) {
    return "download " + asset.name();
  }

  /** Forwards the source's byte progress under this download's task name. */
  private static final class TaskListener implements ProgressListener {
    private final ProgressListener delegate;
    private final RemoteAsset asset;

    TaskListener(ProgressListener delegate, RemoteAsset asset) {
      this.delegate = delegate;
      this.asset = asset;
    }

    @Override
    public void progress(ProgressEvent event) {
      delegate.progress(new ProgressEvent(task(asset), event.done(), asset.size(), false));
    }

    @Override
    public void info(String line) {
      delegate.info(line);
    }

    @Override
    public void warn(String line) {
      delegate.warn(line);
    }
  }
}
