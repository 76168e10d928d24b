package org.opdeploy.hash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * The SHA-256 of a file that is still growing. A downloader appends to the file; {@link #catchUp}
 * digests whatever was appended since the last call, while those pages are still in the page cache,
 * so that the finished download needs no second full read. A file that shrank (a source that had to
 * start over) is digested again from its start.
 */
public final class GrowingFileDigest implements AutoCloseable {
  private static final int BUFFER = 1 << 20;

  private final Path file;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
  private MessageDigest digest = Sha256.newDigest();
  private FileChannel channel;
  private Object fileKey;
  private long position;

  public GrowingFileDigest(Path file) {
    this.file = file;
  }

  /** Digests the bytes appended since the last call; returns how many bytes are digested. */
  public synchronized long catchUp() throws IOException {
    if (!Files.exists(file)) {
      return position;
    }
    Object key =
        Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    if (channel == null || !key.equals(fileKey) || channel.size() < position) {
      restart(key);
    }
    while (true) {
      buffer.clear();
      int n = channel.read(buffer, position);
      if (n <= 0) {
        return position;
      }
      buffer.flip();
      digest.update(buffer);
      position += n;
    }
  }

  /** Bytes digested so far. */
  public synchronized long position() {
    return position;
  }

  /** The hex SHA-256 of the bytes digested so far. */
  public synchronized String hex() {
    try {
      return Sha256.hex((MessageDigest) digest.clone());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digests are cloneable on every supported JDK", e);
    }
  }

  private void restart(Object key) throws IOException {
    close();
    channel = FileChannel.open(file, StandardOpenOption.READ);
    fileKey = key;
    position = 0;
    digest = Sha256.newDigest();
  }

  @Override
  public synchronized void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }
}
