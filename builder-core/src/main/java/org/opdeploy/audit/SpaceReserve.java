package org.opdeploy.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/**
 * A file of space set aside beside an audit log and a state file, given back when the filesystem is
 * full so that the few small writes every run must make (its audit entries, a switch intent, {@code
 * state.json}) still succeed.
 *
 * <p>Why a file and not "write in place": on btrfs every data write, even overwriting a byte of an
 * existing file, needs new data space (copy on write), and on a full filesystem it fails with
 * ENOSPC. Creating, renaming and deleting files only touch metadata, which btrfs keeps its own
 * reserve for, so they still work: deleting this file hands its data space back (btrfs commits the
 * transaction that frees it as soon as a write would otherwise fail). The file is filled with
 * random bytes so that a {@code compress} mount option cannot shrink it to nothing.
 */
public final class SpaceReserve {
  /** 8 MiB: each run writes well under 100 KiB (two audit lines, an intent, a few state writes). */
  public static final long DEFAULT_BYTES = 8L << 20;

  /** 1 MiB: the end entry of one run, held back while a run works without the main reserve. */
  public static final long END_ENTRY_BYTES = 1L << 20;

  private static final int CHUNK = 1 << 20;

  private final Path file;
  private final long bytes;

  public SpaceReserve(Path file, long bytes) {
    this.file = file;
    this.bytes = bytes;
  }

  public SpaceReserve(Path file) {
    this(file, DEFAULT_BYTES);
  }

  public Path file() {
    return file;
  }

  public long bytes() {
    return bytes;
  }

  public boolean present() {
    return Files.isRegularFile(file);
  }

  /**
   * Deletes the reserve when less than its size is free on its filesystem; returns the bytes given
   * back (0 when there was enough space or no reserve). Never throws: without it the run goes on
   * and fails where it actually runs out of space.
   */
  public long releaseIfLow() {
    try {
      if (!present() || freeBytes(file.getParent()) >= bytes) {
        return 0;
      }
      long size = Files.size(file);
      Files.delete(file);
      return size;
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * A small reserve beside this one ({@code <file>.end}) that holds space for a run's end entry
   * while this one is gone: a run that starts on a full disk gets this reserve back, and its work
   * may then take that space too (a refresh writing into the golden).
   */
  public SpaceReserve endEntry() {
    return new SpaceReserve(file.resolveSibling(file.getFileName() + ".end"), END_ENTRY_BYTES);
  }

  /** Deletes the reserve, if any, so that its space is free for the next write. Never throws. */
  public void release() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // Nothing more can be given back; the write that follows says what failed.
    }
  }

  /**
   * Creates the reserve when it is missing and at least twice its size is free, so that a run on a
   * nearly full disk does not take the last space for it. Returns whether a reserve is in place.
   * Never throws: a reserve that cannot be made now is made by a later run.
   */
  public boolean restore() {
    if (present()) {
      return true;
    }
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      if (!Files.isDirectory(file.getParent()) || freeBytes(file.getParent()) < 2 * bytes) {
        return false;
      }
      SplittableRandom random = new SplittableRandom();
      byte[] chunk = new byte[CHUNK];
      try (FileChannel out =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        for (long written = 0; written < bytes; written += chunk.length) {
          random.nextBytes(chunk);
          ByteBuffer buffer =
              ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, bytes - written));
          while (buffer.hasRemaining()) {
            out.write(buffer);
          }
        }
        out.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // A stale temporary file is removed by the next run's sweep.
      }
      return false;
    }
  }

  /**
   * Free bytes an unprivileged writer may use (statvfs {@code f_bavail}) on the filesystem of
   * {@code path}.
   */
  public static long freeBytes(Path path) throws IOException {
    return Files.getFileStore(path).getUsableSpace();
  }
}
