package org.opdeploy.stream;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.LongConsumer;

/**
 * The top of the send stack: counts the uncompressed stream bytes (the manifest's {@code
 * stream_size}) and reports progress every {@link #REPORT_EVERY} bytes.
 */
final class CountingOutputStream extends FilterOutputStream {
  static final long REPORT_EVERY = 32L << 20;

  private final LongConsumer progress;
  private long count;
  private long nextReport = REPORT_EVERY;

  CountingOutputStream(OutputStream out, LongConsumer progress) {
    super(out);
    this.progress = progress;
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    advance(1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    // FilterOutputStream would write byte by byte.
    out.write(bytes, offset, length);
    advance(length);
  }

  private void advance(long n) {
    count += n;
    if (count >= nextReport) {
      nextReport = count + REPORT_EVERY;
      progress.accept(count);
    }
  }

  long count() {
    return count;
  }
}
