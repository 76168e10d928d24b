package org.opdeploy.deploy.receive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opdeploy.deploy.release.FetchedFile;
import org.opdeploy.error.VerificationException;
import org.opdeploy.hash.Sha256;

/**
 * The parts of a stored stream read as one, each opened when the one before it ends, and each
 * hashed as it is read. The hash is what makes feeding a verified file safe even when someone can
 * still write to it (a {@code dir:} store): the bytes {@code btrfs receive} got are compared with
 * the bytes that were verified. Read by one thread; the results are read after it finished.
 */
final class HashingParts extends FeedInput {
  private final List<FetchedFile> parts;
  private final List<String> digests = new ArrayList<>();
  private final long totalBytes;
  private final MessageDigest digest;
  private FileChannel channel;
  private int index = -1;
  private volatile long readBytes;

  HashingParts(List<FetchedFile> parts) {
    this.parts = List.copyOf(parts);
    this.totalBytes = parts.stream().mapToLong(FetchedFile::size).sum();
    this.digest = Sha256.newDigest();
  }

  @Override
  long totalBytes() {
    return totalBytes;
  }

  /** Stored bytes read so far, over all parts. */
  @Override
  long readBytes() {
    return readBytes;
  }

  boolean complete() {
    return digests.size() == parts.size();
  }

  /** The first part read to its end whose bytes differ from the SHA-256 it was verified with. */
  Optional<FetchedFile> changed() {
    for (int i = 0; i < digests.size(); i++) {
      if (!Sha256.same(parts.get(i).sha256(), digests.get(i))) {
        return Optional.of(parts.get(i));
      }
    }
    return Optional.empty();
  }

  /**
   * A part whose bytes, as they were fed, differ from the SHA-256 they were verified with: the file
   * changed after verification (a {@code dir:} store's file rewritten meanwhile). After a failed
   * receive, the parts not read to their end are hashed again to tell that apart from a disk
   * problem.
   */
  @Override
  Optional<VerificationException> refusal(boolean stoppedEarly) {
    Optional<FetchedFile> changed = changed();
    if (changed.isEmpty() && stoppedEarly && !complete()) {
      for (FetchedFile file : parts) {
        try {
          if (!Sha256.same(file.sha256(), Sha256.ofFile(file.path()))) {
            changed = Optional.of(file);
            break;
          }
        } catch (IOException e) {
          changed = Optional.of(file);
          break;
        }
      }
    }
    return changed.map(
        file ->
            new VerificationException(
                file.path()
                    + " changed after it was verified (the bytes"
                    + " received do not match its SHA-256 in SHA256SUMS); the received subvolume was deleted and nothing was"
                    + " deployed: find what writes to it and deploy again"));
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
    while (true) {
      if (channel == null && !openNext()) {
        return -1;
      }
      int n = channel.read(ByteBuffer.wrap(buffer, offset, length));
      if (n > 0) {
        digest.update(buffer, offset, n);
        readBytes += n;
        return n;
      }
      finishPart();
    }
  }

  private boolean openNext() throws IOException {
    if (index + 1 >= parts.size()) {
      return false;
    }
    index++;
    channel = FileChannel.open(parts.get(index).path(), StandardOpenOption.READ);
    return true;
  }

  private void finishPart() throws IOException {
    channel.close();
    channel = null;
    digests.add(Sha256.hex(digest));
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }
}
