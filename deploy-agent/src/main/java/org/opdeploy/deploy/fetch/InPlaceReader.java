package org.opdeploy.deploy.fetch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.opdeploy.deploy.release.FetchedFile;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.hash.Sha256;
import org.opdeploy.progress.ProgressEvent;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.store.ReleaseSource;
import org.opdeploy.store.RemoteAsset;
import org.opdeploy.version.Version;

/**
 * Uses a stream file of a {@code dir:} store where it lies instead of copying it into the cache:
 * one read to hash it (which leaves it in the page cache for the receive), no write. Copying a
 * large stream cost about a fifth of a deploy's time. Because the store's file can still change
 * after this hash, the receive hashes the bytes again as it feeds them and deletes what it received
 * when the two differ ({@code ReceiveDeploymentStep}).
 *
 * <p>Hashing may start early on a thread of its own ({@link #startHashing}), while the caller
 * checks the signature. A digest is only a number until it is compared with the proven SHA256SUMS,
 * so computing it early trusts nothing.
 */
final class InPlaceReader {
  private final ReleaseSource source;
  private final ProgressListener progress;
  private final Map<String, Future<String>> early = new HashMap<>();
  private ExecutorService hasher;

  InPlaceReader(ReleaseSource source, ProgressListener progress) {
    this.source = source;
    this.progress = progress;
  }

  /**
   * Starts hashing the local files of {@code assets} not started yet, in order, on another thread.
   */
  void startHashing(Version version, List<RemoteAsset> assets) throws OpdeployException {
    for (RemoteAsset asset : assets) {
      if (early.containsKey(asset.name())) {
        continue;
      }
      Optional<Path> local = source.localFile(version, asset);
      if (local.isEmpty()) {
        return;
      }
      if (hasher == null) {
        hasher =
            Executors.newSingleThreadExecutor(
                task -> {
                  Thread thread = new Thread(task, "hash in place");
                  thread.setDaemon(true);
                  return thread;
                });
      }
      Path file = local.get();
      early.put(asset.name(), hasher.submit(() -> Sha256.ofFile(file)));
    }
  }

  /** Stops hashing that is no longer wanted (the signature failed, or the guess was wrong). */
  void cancel() {
    if (hasher != null) {
      hasher.shutdownNow();
      hasher = null; // a later fetch by the same step (the full-stream fallback) starts afresh
    }
    early.clear();
  }

  /** The asset hashed in place, or empty when the source has no local file for it. */
  Optional<FetchedFile> read(Version version, RemoteAsset asset) throws OpdeployException {
    Optional<Path> local = source.localFile(version, asset);
    if (local.isEmpty()) {
      return Optional.empty();
    }
    Path file = local.get();
    String task = "verify " + asset.name();
    try {
      progress.progress(ProgressEvent.of(task, 0, asset.size()));
      long size = Files.size(file);
      if (size != asset.size()) {
        throw new OpdeployException(
            source.describe()
                + " holds "
                + asset.name()
                + " of "
                + version
                + " with "
                + size
                + " bytes, not the "
                + asset.size()
                + " listed a moment ago; run the command again");
      }
      String sha256 = digest(asset.name(), file);
      progress.progress(ProgressEvent.finished(task, size));
      return Optional.of(new FetchedFile(asset.name(), file, size, sha256, true));
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot read " + file + " in " + source.describe() + ": " + e.getMessage(), e);
    }
  }

  private String digest(String name, Path file) throws IOException, OpdeployException {
    Future<String> started = early.remove(name);
    if (started != null) {
      try {
        return started.get();
      } catch (ExecutionException | CancellationException e) {
        // Hash it here instead; a real read error shows up again below.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OpdeployException("interrupted while hashing " + file, e);
      }
    }
    return Sha256.ofFile(file);
  }
}
