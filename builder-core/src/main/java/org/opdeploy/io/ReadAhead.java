package org.opdeploy.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a stream ahead of its consumer, on a thread of its own, into a fixed ring of buffers, so
 * that reading and consuming run side by side instead of one after the other. A pipe holds only 64
 * KiB: without this, {@code btrfs send} would stall whenever compression or a disk write takes a
 * moment. For a file, the copy out of the page cache overlaps the consumer's work (hashing).
 */
public final class ReadAhead implements AutoCloseable {
  private record Chunk(byte[] buffer, int length, IOException failure) {}

  private static final Chunk END = new Chunk(null, 0, null);

  private final BlockingQueue<byte[]> free;
  private final BlockingQueue<Chunk> filled;
  private final Thread reader;

  public ReadAhead(InputStream in, int chunks, int chunkBytes, String threadName) {
    free = new ArrayBlockingQueue<>(chunks);
    // One slot more than there are buffers, so the end or a failure can always be queued.
    filled = new ArrayBlockingQueue<>(chunks + 1);
    for (int i = 0; i < chunks; i++) {
      free.add(new byte[chunkBytes]);
    }
    reader = new Thread(() -> read(in), threadName);
    reader.setDaemon(true);
    reader.start();
  }

  private void read(InputStream in) {
    try {
      while (true) {
        byte[] buffer = free.take();
        int n = in.readNBytes(buffer, 0, buffer.length);
        if (n > 0) {
          filled.put(new Chunk(buffer, n, null));
        }
        if (n < buffer.length) {
          filled.put(END);
          return;
        }
      }
    } catch (IOException e) {
      filled.offer(new Chunk(null, 0, e));
    } catch (InterruptedException e) {
      // The consumer gave up; nobody is waiting for more.
    }
  }

  /** Writes everything read to {@code out}; rethrows a read failure. */
  public void transferTo(OutputStream out) throws IOException {
    while (true) {
      Chunk chunk;
      try {
        chunk = filled.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading ahead");
      }
      if (chunk.failure() != null) {
        throw chunk.failure();
      }
      if (chunk == END) {
        return;
      }
      out.write(chunk.buffer(), 0, chunk.length());
      free.add(chunk.buffer());
    }
  }

  /** Stops the reader if it is waiting for a free buffer. */
  @Override
  public void close() {
    reader.interrupt();
  }
}
