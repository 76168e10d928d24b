package org.opdeploy.stream;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands the compressor's output to a writer thread in large buffers, so that the file writes,
 * SHA-256 and the syncs of the {@link SplittingOutputStream} run beside compression instead of
 * between its calls. At most {@code chunks} buffers are in flight, whatever the stream's size. A
 * failure on the writer thread is rethrown, as it was, by the next write or by {@link #close()};
 * {@link #abort()} stops the writer and removes every file written.
 */
final class WriteBehind extends OutputStream {
  private record Chunk(byte[] buffer, int length) {}

  private static final Chunk END = new Chunk(new byte[0], 0);

  private final SplittingOutputStream target;
  private final BlockingQueue<byte[]> free;
  private final BlockingQueue<Chunk> filled;
  private final Thread writer;
  private volatile Throwable failure;
  private byte[] current;
  private int used;
  private boolean closed;

  WriteBehind(SplittingOutputStream target, int chunks, int chunkBytes) {
    this.target = target;
    free = new ArrayBlockingQueue<>(chunks);
    // One slot more than there are buffers, so the end can always be queued.
    filled = new ArrayBlockingQueue<>(chunks + 1);
    for (int i = 0; i < chunks; i++) {
      free.add(new byte[chunkBytes]);
    }
    writer = new Thread(this::drain, "send-write-behind");
    writer.setDaemon(true);
    writer.start();
  }

  private void drain() {
    try {
      while (true) {
        Chunk chunk = filled.take();
        if (chunk == END) {
          if (failure == null) {
            target.close();
          }
          return;
        }
        if (failure == null) {
          try {
            target.write(chunk.buffer(), 0, chunk.length());
          } catch (IOException | RuntimeException | Error e) {
            failure = e;
          }
        }
        // After a failure, buffers keep coming back so the producer never waits forever.
        free.put(chunk.buffer());
      }
    } catch (IOException | RuntimeException | Error e) {
      failure = e;
    } catch (InterruptedException e) {
      // abort(): the producer gave up.
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    if (closed) {
      throw new IOException("stream already closed");
    }
    while (length > 0) {
      if (current == null) {
        rethrowFailure();
        current = take();
        used = 0;
      }
      int n = Math.min(length, current.length - used);
      System.arraycopy(bytes, offset, current, used, n);
      used += n;
      offset += n;
      length -= n;
      if (used == current.length) {
        handOff();
      }
    }
  }

  /** Hands off what is buffered, waits until the writer has closed the target, rethrows. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (current != null && used > 0) {
      handOff();
    }
    put(END);
    try {
      writer.join();
    } catch (InterruptedException e) {
      abort();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing the send stream");
    }
    rethrowFailure();
  }

  /** Stops the writer and deletes every file written; never throws. */
  void abort() {
    closed = true;
    writer.interrupt();
    boolean interrupted = false;
    while (writer.isAlive()) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    target.abort();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void handOff() throws IOException {
    put(new Chunk(current, used));
    current = null;
    used = 0;
  }

  private byte[] take() throws IOException {
    try {
      return free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing the send stream");
    }
  }

  private void put(Chunk chunk) throws IOException {
    try {
      filled.put(chunk);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing the send stream");
    }
  }

  private void rethrowFailure() throws IOException {
    Throwable t = failure;
    if (t instanceof IOException e) {
      throw e;
    }
    if (t instanceof RuntimeException e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
  }
}
