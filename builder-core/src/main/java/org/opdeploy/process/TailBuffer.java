package org.opdeploy.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Drains a stream, keeping at most its last {@code limit} bytes (memory grows only as needed). */
final class TailBuffer {
  private final int limit;
  private byte[] data = new byte[1024];
  private int size;
  private boolean truncated;

  TailBuffer(int limit) {
    this.limit = limit;
  }

  void drain(InputStream in) throws IOException {
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      append(buffer, n);
    }
  }

  private synchronized void append(byte[] buffer, int n) {
    if (size + n > data.length) {
      if (size + n > 2 * limit) {
        int keep = Math.min(size, limit);
        System.arraycopy(data, size - keep, data, 0, keep);
        size = keep;
        truncated = true;
      }
      if (size + n > data.length) {
        data = Arrays.copyOf(data, Math.max(size + n, Math.min(2 * data.length, 2 * limit + n)));
      }
    }
    System.arraycopy(buffer, 0, data, size, n);
    size += n;
  }

  synchronized boolean truncated() {
    return truncated || size > limit;
  }

  @Override
  public synchronized String toString() {
    int keep = Math.min(size, limit);
    return new String(data, size - keep, keep, StandardCharsets.UTF_8);
  }
}
