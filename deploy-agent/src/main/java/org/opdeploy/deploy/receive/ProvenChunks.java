package org.opdeploy.deploy.receive;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.opdeploy.deploy.release.StreamedFiles;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.error.VerificationException;
import org.opdeploy.hash.Sha256;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.store.RemoteAsset;
import org.opdeploy.version.Version;

/**
 * A stream read from its source while it is received: a thread reads each file chunk by chunk (the
 * manifest's chunk index), hashes the chunk and hands it on only when its SHA-256 matches; the
 * reader of this stream (the decompressor in front of {@code btrfs receive}) never sees a byte of a
 * chunk that was not proven. A mismatch stops everything at that chunk ({@link #refusal}). A read
 * that breaks is opened again from the end of the last proven chunk (HTTP {@code Range}). At most
 * {@link #AHEAD} proven chunks wait in memory; nothing touches the disk unless the proven files are
 * to be kept ({@link KeptFile}).
 */
final class ProvenChunks extends FeedInput {
  static final int AHEAD = 2;
  private static final Chunk END = new Chunk(new byte[0], -1);

  private final StreamedFiles from;
  private final Version version;
  private final List<Manifest.StreamFile> files;
  private final ProgressListener progress;
  private final long totalBytes;
  private final BlockingQueue<byte[]> free;
  private final BlockingQueue<Chunk> proven;
  private Thread fetcher;
  private volatile ChunkReader reading;
  private Chunk current;
  private int position;
  private volatile long delivered;
  private volatile VerificationException refused;
  private volatile OpdeployException failed;

  ProvenChunks(
      StreamedFiles from,
      Version version,
      List<Manifest.StreamFile> files,
      ProgressListener progress) {
    this.from = from;
    this.version = version;
    this.files = List.copyOf(files);
    this.progress = progress;
    this.totalBytes = files.stream().mapToLong(Manifest.StreamFile::size).sum();
    int largest = (int) files.stream().mapToLong(Manifest.StreamFile::chunkSize).max().orElse(1);
    // One chunk being read, AHEAD waiting, one being consumed.
    this.free = new ArrayBlockingQueue<>(AHEAD + 2);
    for (int i = 0; i < AHEAD + 2; i++) {
      free.add(new byte[largest]);
    }
    this.proven = new ArrayBlockingQueue<>(AHEAD + 3);
  }

  @Override
  long totalBytes() {
    return totalBytes;
  }

  @Override
  long readBytes() {
    return delivered;
  }

  @Override
  Optional<VerificationException> refusal(boolean stoppedEarly) {
    return Optional.ofNullable(refused);
  }

  @Override
  Optional<OpdeployException> sourceFailure() {
    return Optional.ofNullable(failed);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (fetcher == null) {
      fetcher = new Thread(this::fetchAll, "read and prove chunks of " + version);
      fetcher.setDaemon(true);
      fetcher.start();
    }
    if (current == null || position == current.length) {
      if (current != null) {
        free.add(current.bytes);
        current = null;
      }
      Chunk next;
      try {
        next = proven.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading the stream");
      }
      if (next == END) {
        proven.add(END); // every later read ends here too
        if (refused != null) {
          throw new IOException(refused.getMessage());
        }
        if (failed != null) {
          throw new IOException(failed.getMessage());
        }
        return -1;
      }
      current = next;
      position = 0;
    }
    int n = Math.min(length, current.length - position);
    System.arraycopy(current.bytes, position, buffer, offset, n);
    position += n;
    delivered += n;
    return n;
  }

  /** Stops the reading thread; what a kept file had so far is removed unless it was completed. */
  @Override
  public void close() {
    Thread thread = fetcher;
    if (thread != null) {
      thread.interrupt();
      ChunkReader open = reading;
      if (open != null) {
        open.close(); // a read blocked on a stalled connection ends here, not at its timeout
      }
      boolean interrupted = false;
      while (thread.isAlive()) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void fetchAll() {
    try {
      for (int i = 0; i < files.size(); i++) {
        if (!fetchFile(from.assets().get(i), files.get(i))) {
          return;
        }
      }
    } catch (InterruptedException e) {
      // The consumer stopped; it knows why.
    } catch (OpdeployException e) {
      failed = e;
    } catch (RuntimeException e) {
      failed =
          new OpdeployException(
              "reading the stream of " + version + " failed: " + e.getMessage(), e);
    } finally {
      proven.add(END); // room for it: the queue holds more than there are buffers
    }
  }

  /** Reads, proves and hands on every chunk of one file; false when a chunk was refused. */
  private boolean fetchFile(RemoteAsset asset, Manifest.StreamFile file)
      throws InterruptedException, OpdeployException {
    ChunkReader reader = new ChunkReader(from, version, asset, progress);
    reading = reader;
    KeptFile kept = from.keepIn() == null ? null : KeptFile.start(from.keepIn(), asset.name());
    boolean done = false;
    try {
      long offset = 0;
      for (int k = 0; k < file.chunks().size(); k++) {
        int length = (int) Math.min(file.chunkSize(), file.size() - offset);
        byte[] buffer = free.take();
        reader.readChunk(offset, buffer, length);
        String actual = Sha256.of(buffer, 0, length);
        if (!Sha256.same(file.chunks().get(k), actual)) {
          free.add(buffer);
          refused =
              new VerificationException(
                  "chunk "
                      + k
                      + " of "
                      + file.name()
                      + " (bytes "
                      + offset
                      + " to "
                      + (offset + length - 1)
                      + ") from "
                      + from.source().describe()
                      + " does not match its SHA-256 in the"
                      + " signed manifest: it never reached btrfs receive; the half-received subvolume was deleted,"
                      + " nothing was deployed or cached");
          return false;
        }
        if (kept != null) {
          kept.write(buffer, length);
        }
        offset += length;
        proven.put(new Chunk(buffer, length));
      }
      if (kept != null) {
        kept.finish();
      }
      done = true;
      return true;
    } finally {
      reader.close();
      if (kept != null && !done) {
        kept.abort();
      }
    }
  }

  private record Chunk(byte[] bytes, int length) {}
}
