package org.opdeploy.deploy.receive;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.error.VerificationException;

/**
 * The stored bytes of a stream as {@link StreamFeed} reads them, each proven: whole files hashed
 * again as they are fed ({@link HashingParts}), or chunks proven as they arrive from the source
 * ({@link ProvenChunks}). Read by one thread; the results are read after it finished.
 */
abstract class FeedInput extends InputStream {

  /** Stored bytes of the whole stream. */
  abstract long totalBytes();

  /** Stored bytes handed to the reader so far. */
  abstract long readBytes();

  /**
   * Reads whatever the decompressor left unread, so that every byte is proven (and kept, if asked).
   */
  void drain() throws IOException {
    byte[] scratch = new byte[64 << 10];
    while (read(scratch, 0, scratch.length) >= 0) {
      // Reading is what proves the bytes; nothing else wants them.
    }
  }

  /**
   * Why the bytes fed are not the proven ones (exit 3), if they are not. {@code stoppedEarly}: the
   * receive failed, so the input may not have been read to its end.
   */
  abstract Optional<VerificationException> refusal(boolean stoppedEarly);

  /**
   * After a failed feed: a failure of the source itself (a download that failed for good), if any.
   */
  Optional<OpdeployException> sourceFailure() {
    return Optional.empty();
  }
}
