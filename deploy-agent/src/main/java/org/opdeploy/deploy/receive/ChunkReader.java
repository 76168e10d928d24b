package org.opdeploy.deploy.receive;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.opdeploy.deploy.release.StreamedFiles;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.store.RemoteAsset;
import org.opdeploy.version.Version;

/**
 * Reads one stream file from its source a chunk at a time over one open connection (or file). When
 * a read breaks, the connection is opened again at the start of the chunk being read, which is the
 * end of the last proven one: nothing proven is read twice, nothing unproven is kept. A file that
 * ends early counts as a break. Gives up after the retry policy's attempts in a row without a chunk
 * read.
 */
final class ChunkReader implements AutoCloseable {
  private final StreamedFiles from;
  private final Version version;
  private final RemoteAsset asset;
  private final ProgressListener progress;
  private volatile InputStream in;

  ChunkReader(StreamedFiles from, Version version, RemoteAsset asset, ProgressListener progress) {
    this.from = from;
    this.version = version;
    this.asset = asset;
    this.progress = progress;
  }

  /** Fills {@code buffer} with {@code length} bytes from {@code offset}, the start of a chunk. */
  void readChunk(long offset, byte[] buffer, int length)
      throws OpdeployException, InterruptedException {
    for (int failures = 0; ; ) {
      try {
        if (in == null) {
          in = from.source().open(version, asset, offset);
        }
        int n = in.readNBytes(buffer, 0, length);
        if (n < length) {
          throw new EOFException(
              "the source ended at byte " + (offset + n) + " of " + asset.size());
        }
        return;
      } catch (IOException | OpdeployException e) {
        close();
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedException();
        }
        failures++;
        boolean retryable =
            e instanceof IOException
                || (((OpdeployException) e).exitCode() == ExitCode.FAILED
                    && !from.source().retriesDownloads());
        if (!retryable && e instanceof OpdeployException refused) {
          throw refused; // a trust failure (exit 3) or one the source already retried: as it is
        }
        if (failures >= from.retry().maxAttempts()) {
          throw new OpdeployException(
              "reading "
                  + asset.name()
                  + " from "
                  + from.source().describe()
                  + " failed"
                  + (failures > 1 ? " " + failures + " times in a row" : "")
                  + " (last: "
                  + e.getMessage()
                  + "); nothing was deployed, run the command again",
              e);
        }
        progress.warn(
            "reading "
                + asset.name()
                + " broke ("
                + e.getMessage()
                + "); resuming from byte "
                + offset
                + ", the end of the last proven chunk");
        from.retry().pauseBefore(failures + 1);
      }
    }
  }

  /** Closes the open connection; from another thread too, which ends a read blocked on it. */
  @Override
  public void close() {
    InputStream open = in;
    in = null;
    if (open != null) {
      try {
        open.close();
      } catch (IOException e) {
        // Nothing more is read from it.
      }
    }
  }
}
