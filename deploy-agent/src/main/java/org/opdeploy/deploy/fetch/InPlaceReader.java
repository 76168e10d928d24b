package org.opdeploy.deploy.fetch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.opdeploy.deploy.release.FetchedFile;
import org.opdeploy.deploy.release.FileDigest;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressEvent;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.store.ReleaseSource;
import org.opdeploy.store.RemoteAsset;
import org.opdeploy.version.Version;

/**
 * Uses a stream file of a {@code dir:} store where it lies instead of copying it into the cache:
 * one read to hash it (which leaves it in the page cache for the receive), no write. Copying a
 * large stream cost about a quarter of a deploy's time. Because the store's file can still change
 * after this hash, the receive hashes the bytes again as it feeds them and deletes what it
 * received when the two differ ({@code ReceiveDeploymentStep}).
 */
final class InPlaceReader {
  private final ReleaseSource source;
  private final ProgressListener progress;

  InPlaceReader(ReleaseSource source, ProgressListener progress) {
    this.source = source;
    this.progress = progress;
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
        throw new OpdeployException(source.describe() + " holds " + asset.name() + " of " + version + " with " + size
            + " bytes, not the " + asset.size() + " listed a moment ago; run the command again");
      }
      String sha256 = FileDigest.of(file);
      progress.progress(ProgressEvent.finished(task, size));
      return Optional.of(new FetchedFile(asset.name(), file, size, sha256, true));
    } catch (IOException e) {
      throw new OpdeployException("cannot read " + file + " in " + source.describe() + ": " + e.getMessage(), e);
    }
  }
}
