package org.opdeploy.deploy.receive;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.opdeploy.error.BadInputException;
import org.opdeploy.manifest.Compression;
import org.opdeploy.progress.ProgressEvent;
import org.opdeploy.progress.ProgressListener;

/**
 * Turns a stream's stored files back into the {@code btrfs send} stream for the receiver's stdin. A
 * reader thread reads the proven stored bytes in order ({@link FeedInput}) and decompresses them
 * with zstd-jni into large blocks; the calling thread writes those blocks to the pipe. So
 * decompression goes on while a write waits for {@code btrfs receive}, the way {@code zstd -dc |
 * btrfs receive} overlaps them. Progress is reported in stored (downloaded) bytes, from the calling
 * thread.
 *
 * <p>The uncompressed bytes are counted against the size the signed manifest declares: the reader
 * never decompresses more than one byte past it, so a small file that expands without end (a
 * decompression bomb) stops there and {@link #exceeded()} tells the caller why the feed failed.
 */
public final class StreamFeed {
  private static final int BLOCK = 1 << 20;
  private static final int BLOCKS = 8;
  private static final long REPORT_EVERY = 16L << 20;

  private final FeedInput parts;
  private final Compression compression;
  private final ProgressListener progress;
  private final String task;
  private final long declaredSize;
  private volatile boolean exceeded;

  /** {@code declaredSize}: the uncompressed size the manifest declares; more is never fed. */
  StreamFeed(
      FeedInput parts,
      String compression,
      long declaredSize,
      ProgressListener progress,
      String task)
      throws BadInputException {
    this.parts = parts;
    this.declaredSize = declaredSize;
    this.compression = Compression.parse(compression == null ? "none" : compression);
    this.progress = progress;
    this.task = task;
  }

  /** Writes the whole uncompressed stream to {@code out}; returns its length. */
  public long writeTo(OutputStream out) throws IOException {
    BlockingQueue<Block> free = new ArrayBlockingQueue<>(BLOCKS);
    BlockingQueue<Block> full = new ArrayBlockingQueue<>(BLOCKS + 1);
    for (int i = 0; i < BLOCKS; i++) {
      free.add(new Block(new byte[BLOCK]));
    }
    Reader reader = new Reader(free, full);
    Thread thread = new Thread(reader, task + " (read, hash, decompress)");
    thread.setDaemon(true);
    thread.start();
    long written = 0;
    long reported = 0;
    try {
      while (true) {
        Block block = full.take();
        if (block.length < 0) {
          break;
        }
        out.write(block.bytes, 0, block.length);
        written += block.length;
        if (block.stored - reported >= REPORT_EVERY) {
          reported = block.stored;
          progress.progress(ProgressEvent.of(task, reported, parts.totalBytes()));
        }
        free.add(block);
      }
      out.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while feeding btrfs receive");
    } finally {
      // The receiver may have gone (it failed, or the caller stopped): stop the reader too.
      thread.interrupt();
      joinQuietly(thread);
      parts.close();
    }
    if (reader.failure != null) {
      throw reader.failure;
    }
    // btrfs receive still applies what it buffered: the bar says so instead of sitting at 100%.
    progress.progress(
        ProgressEvent.waiting(
            task, parts.readBytes(), "waiting for btrfs receive to apply the rest"));
    return written;
  }

  /** Whether the stream went on past its declared size (and the feed stopped there). */
  public boolean exceeded() {
    return exceeded;
  }

  public long declaredSize() {
    return declaredSize;
  }

  private InputStream decompressed() throws IOException {
    if (compression.isNone()) {
      return parts;
    }
    ZstdInputStreamNoFinalizer zstd = new ZstdInputStreamNoFinalizer(parts);
    // Frames must end where the stream ends: a truncated part is an error, never a short stream.
    zstd.setContinuous(false);
    return zstd;
  }

  private static void joinQuietly(Thread thread) {
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** A buffer with the uncompressed bytes in it and the stored bytes read so far (-1: the end). */
  private static final class Block {
    final byte[] bytes;
    int length;
    long stored;

    Block(byte[] bytes) {
      this.bytes = bytes;
    }
  }

  /** Reads, hashes and decompresses on its own thread, filling free blocks until the end. */
  private final class Reader implements Runnable {
    private final BlockingQueue<Block> free;
    private final BlockingQueue<Block> full;
    private volatile IOException failure;

    Reader(BlockingQueue<Block> free, BlockingQueue<Block> full) {
      this.free = free;
      this.full = full;
    }

    @Override
    public void run() {
      try (InputStream in = decompressed()) {
        long produced = 0;
        while (true) {
          Block block = free.take();
          // One byte past the declared size is enough to know it is exceeded; never more.
          int want = (int) Math.min(BLOCK, declaredSize - produced + 1);
          int n = in.readNBytes(block.bytes, 0, want);
          if (n == 0) {
            break;
          }
          produced += n;
          if (produced > declaredSize) {
            exceeded = true;
            throw new IOException(
                "the stream is longer than the " + declaredSize + " bytes its manifest declares");
          }
          block.length = n;
          block.stored = parts.readBytes();
          full.put(block);
        }
        parts.drain();
      } catch (InterruptedException e) {
        return; // the writer stopped; it reports why
      } catch (IOException e) {
        failure = e;
      } catch (RuntimeException e) {
        failure = new IOException(e.getMessage(), e);
      }
      Block end = new Block(new byte[0]);
      end.length = -1;
      full.add(end); // room for it: the full queue holds one more than there are blocks
    }
  }
}
