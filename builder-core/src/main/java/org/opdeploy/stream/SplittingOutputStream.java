package org.opdeploy.stream;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.opdeploy.hash.Sha256;

/**
 * The bottom of the send stack: writes bytes into files of at most {@code maxPartBytes} each and
 * hashes every file with SHA-256 as the bytes pass. Files get temporary names ({@code
 * <stem>.000.tmp}, …); the next file is opened only when a byte arrives after the current one is
 * full, so a stream of exactly {@code maxPartBytes} stays one file. Each file is synced to disk
 * when complete, and every {@link #SYNC_EVERY_BYTES} on the way, so that the disk writes spread
 * over the stream instead of all waiting for the final sync. In the same pass each {@code
 * chunkBytes} of a file is hashed on its own ({@link org.opdeploy.manifest.ChunkIndex}). {@link
 * #abort()} removes everything written.
 */
final class SplittingOutputStream extends OutputStream {
  /** Dirty data a sync leaves for the end; the sync at the end then takes a moment, not seconds. */
  static final long SYNC_EVERY_BYTES = 64L << 20;

  private final Path directory;
  private final String stem;
  private final long maxPartBytes;
  private final MessageDigest digest;
  private final long chunkBytes;
  private final MessageDigest chunkDigest;
  private final List<String> chunks = new ArrayList<>();
  private long chunkFill;
  private final List<StagedFile> finished = new ArrayList<>();
  private FileOutputStream current;
  private Path currentPath;
  private long currentSize;
  private long unsynced;
  private boolean closed;

  /** {@code stem} should start with a dot so that nothing unfinished looks like an asset. */
  SplittingOutputStream(Path directory, String stem, long maxPartBytes, long chunkBytes) {
    if (maxPartBytes < 1 || chunkBytes < 1) {
      throw new IllegalArgumentException("part and chunk sizes must be positive");
    }
    this.chunkBytes = chunkBytes;
    this.chunkDigest = Sha256.newDigest();
    this.directory = directory;
    this.stem = stem;
    this.maxPartBytes = maxPartBytes;
    this.digest = Sha256.newDigest();
  }

  /** The temporary name of part {@code index}. */
  static String temporaryName(String stem, int index) {
    return String.format("%s.%03d.tmp", stem, index);
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
      if (current == null || currentSize == maxPartBytes) {
        finishPart();
        openPart();
      }
      int n = (int) Math.min(length, maxPartBytes - currentSize);
      try {
        current.write(bytes, offset, n);
      } catch (IOException e) {
        throw new StreamWriteException(currentPath, e);
      }
      digest.update(bytes, offset, n);
      hashChunks(bytes, offset, n);
      currentSize += n;
      unsynced += n;
      offset += n;
      length -= n;
      if (unsynced >= SYNC_EVERY_BYTES) {
        sync();
      }
    }
  }

  /** Completes the last file; an empty stream still yields one (empty) file. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    if (current == null && finished.isEmpty()) {
      openPart();
    }
    finishPart();
    closed = true;
  }

  /** Closes and deletes every file written so far; never throws. */
  void abort() {
    closed = true;
    if (current != null) {
      try {
        current.close();
      } catch (IOException e) {
        // The file is deleted below either way.
      }
      deleteQuietly(currentPath);
      current = null;
    }
    finished.forEach(part -> deleteQuietly(part.temporary()));
    finished.clear();
  }

  /** The completed files in order; valid after {@link #close()}. */
  List<StagedFile> parts() {
    return List.copyOf(finished);
  }

  /** Feeds the chunk digest, closing a chunk at every {@code chunkBytes} of the current file. */
  private void hashChunks(byte[] bytes, int offset, int length) {
    while (length > 0) {
      int n = (int) Math.min(length, chunkBytes - chunkFill);
      chunkDigest.update(bytes, offset, n);
      chunkFill += n;
      offset += n;
      length -= n;
      if (chunkFill == chunkBytes) {
        chunks.add(Sha256.hex(chunkDigest));
        chunkFill = 0;
      }
    }
  }

  private void openPart() throws IOException {
    currentPath = directory.resolve(temporaryName(stem, finished.size()));
    try {
      current = new FileOutputStream(currentPath.toFile());
    } catch (IOException e) {
      throw new StreamWriteException(currentPath, e);
    }
    currentSize = 0;
    unsynced = 0;
    digest.reset();
    chunkDigest.reset();
    chunks.clear();
    chunkFill = 0;
  }

  private void sync() throws IOException {
    try {
      current.getFD().sync();
    } catch (IOException e) {
      throw new StreamWriteException(currentPath, e);
    }
    unsynced = 0;
  }

  private void finishPart() throws IOException {
    if (current == null) {
      return;
    }
    try (FileOutputStream out = current) {
      // A file renamed to its final name after a crash must hold what its checksum says.
      out.getFD().sync();
    } catch (IOException e) {
      throw new StreamWriteException(currentPath, e);
    } finally {
      current = null;
    }
    if (chunkFill > 0) {
      chunks.add(Sha256.hex(chunkDigest));
      chunkFill = 0;
    }
    finished.add(new StagedFile(currentPath, currentSize, Sha256.hex(digest), chunkBytes, chunks));
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // Best effort: a leftover has a temporary name and does not look finished.
    }
  }
}
