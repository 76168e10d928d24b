package org.opdeploy.deploy.receive;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import org.opdeploy.error.BadInputException;
import org.opdeploy.manifest.Compression;
import org.opdeploy.progress.ProgressEvent;
import org.opdeploy.progress.ProgressListener;

/**
 * Turns a stream's stored files back into the {@code btrfs send} stream: the parts concatenated
 * in order, decompressed in process by zstd-jni, written in large blocks to the receiver's stdin.
 * Reports progress in stored (downloaded) bytes.
 */
public final class StreamFeed {
  private static final int BLOCK = 1 << 20;
  private static final long REPORT_EVERY = 16L << 20;

  private final List<Path> parts;
  private final Compression compression;
  private final long storedBytes;
  private final ProgressListener progress;
  private final String task;

  public StreamFeed(List<Path> parts, String compression, long storedBytes, ProgressListener progress, String task)
      throws BadInputException {
    this.parts = List.copyOf(parts);
    this.compression = Compression.parse(compression == null ? "none" : compression);
    this.storedBytes = storedBytes;
    this.progress = progress;
    this.task = task;
  }

  /** Writes the whole uncompressed stream to {@code out}; returns its length. */
  public long writeTo(OutputStream out) throws IOException {
    CountingInput stored = new CountingInput(concatenated());
    long written = 0;
    long reported = 0;
    try (InputStream in = compression.isNone() ? stored : decompressing(stored)) {
      byte[] block = new byte[BLOCK];
      int n;
      while ((n = in.read(block)) > 0) {
        out.write(block, 0, n);
        written += n;
        if (stored.count - reported >= REPORT_EVERY) {
          reported = stored.count;
          progress.progress(ProgressEvent.of(task, reported, storedBytes));
        }
      }
    }
    out.flush();
    progress.progress(ProgressEvent.finished(task, stored.count));
    return written;
  }

  private static InputStream decompressing(InputStream in) throws IOException {
    ZstdInputStreamNoFinalizer zstd = new ZstdInputStreamNoFinalizer(in);
    // Frames must end where the stream ends: a truncated part is an error, never a short stream.
    zstd.setContinuous(false);
    return zstd;
  }

  /** The parts as one stream, each opened only when the one before it is exhausted. */
  private InputStream concatenated() {
    Iterator<Path> files = parts.iterator();
    return new SequenceInputStream(new Enumeration<InputStream>() {
      @Override
      public boolean hasMoreElements() {
        return files.hasNext();
      }

      @Override
      public InputStream nextElement() {
        try {
          return Files.newInputStream(files.next());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    });
  }

  /** Counts the stored bytes read, for progress. */
  private static final class CountingInput extends java.io.FilterInputStream {
    private long count;

    CountingInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
