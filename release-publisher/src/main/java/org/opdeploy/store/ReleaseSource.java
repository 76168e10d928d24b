package org.opdeploy.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/**
 * Somewhere releases can be read from: {@code github:OWNER/REPO}, {@code dir:PATH} or an {@code
 * https://} base URL. Targets fetch through this, the same code that publishes.
 */
public interface ReleaseSource {

  /** The source as the user wrote it ({@code github:owner/repo}), never with credentials. */
  String describe();

  /** The assets of {@code version}; fails with exit 1 naming the version when there is none. */
  List<RemoteAsset> assets(Version version) throws OpdeployException;

  /**
   * Downloads one asset into {@code partial}. When {@code partial} already holds bytes, continues
   * after them (HTTP {@code Range}) instead of starting over. Returns when the file is complete;
   * the caller checks its hash and renames it.
   */
  void download(Version version, RemoteAsset asset, Path partial, ProgressListener progress)
      throws OpdeployException;

  /**
   * Opens the asset's bytes from byte {@code offset} on, for a reader that proves them chunk by
   * chunk as they arrive and, after a dropped connection, opens again from the end of the last
   * proven chunk. Opening is retried where {@link #retriesDownloads} says so; reading is not. By
   * default the source's local file ({@link #localFile}); a source without one must override this.
   */
  default InputStream open(Version version, RemoteAsset asset, long offset)
      throws OpdeployException {
    Optional<Path> local = localFile(version, asset);
    if (local.isEmpty()) {
      throw new OpdeployException(
          describe() + " cannot stream " + asset.name() + "; fetch it instead");
    }
    try {
      SeekableByteChannel channel = Files.newByteChannel(local.get());
      channel.position(offset);
      return Channels.newInputStream(channel);
    } catch (IOException e) {
      throw new OpdeployException("cannot read " + local.get() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether {@link #download} already retries transient failures itself (HTTP sources: backoff,
   * {@code retry-after}, resuming with {@code Range}), so that a caller must not retry on top.
   */
  default boolean retriesDownloads() {
    return false;
  }

  /**
   * The asset as a file on this machine that a reader may verify and use in place instead of
   * downloading a copy, when the source is a folder; empty for remote sources. The file is the
   * store's, not the caller's: never write to it or delete it.
   */
  default Optional<Path> localFile(Version version, RemoteAsset asset) throws OpdeployException {
    return Optional.empty();
  }

  /**
   * Every version present in the store (published ones; drafts only where the store can see them).
   */
  List<Version> versions() throws OpdeployException;

  /** The versions a target may install: as {@link #versions}, without drafts. Oldest first. */
  default List<Version> publishedVersions() throws OpdeployException {
    return versions();
  }
}
