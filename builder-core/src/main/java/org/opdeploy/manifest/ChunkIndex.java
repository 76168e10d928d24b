package org.opdeploy.manifest;

import java.util.regex.Pattern;
import org.opdeploy.error.BadInputException;

/**
 * The rules of a stream file's chunk index (DESIGN.md, "Verify before receive, per chunk"): {@code
 * send} hashes every {@link #CHUNK_BYTES} of each file as it writes it; a target holds at most one
 * chunk in memory per buffer, so it refuses chunk sizes outside {@link #MIN_CHUNK_BYTES} to {@link
 * #MAX_CHUNK_BYTES} and an index whose length does not fit the file's size.
 */
public final class ChunkIndex {
  /**
   * What {@code send} writes: 8 MiB, large enough that hashing is one call per chunk, small enough
   * to buffer a few.
   */
  public static final long CHUNK_BYTES = 8L << 20;

  public static final long MIN_CHUNK_BYTES = 64L << 10;

  /** A target holds four chunk buffers: 64 MiB at most, within its 200 MiB heap. */
  public static final long MAX_CHUNK_BYTES = 16L << 20;

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private ChunkIndex() {}

  /**
   * Checks a file's chunk index against its size; {@code origin} names the manifest in the error.
   */
  public static void check(Manifest.StreamFile file, String origin) throws BadInputException {
    if (!file.hasChunkIndex()) {
      throw new BadInputException(origin + " has no chunk index for " + file.name());
    }
    long chunkSize = file.chunkSize();
    if (chunkSize < MIN_CHUNK_BYTES || chunkSize > MAX_CHUNK_BYTES) {
      throw new BadInputException(
          origin
              + " gives "
              + file.name()
              + " the chunk size "
              + chunkSize
              + "; accepted are "
              + MIN_CHUNK_BYTES
              + " to "
              + MAX_CHUNK_BYTES
              + " bytes");
    }
    long expected = Manifest.StreamFile.chunkCount(file.size(), chunkSize);
    if (file.chunks().size() != expected) {
      throw new BadInputException(
          origin
              + " lists "
              + file.chunks().size()
              + " chunk hashes for "
              + file.name()
              + " ("
              + file.size()
              + " bytes in chunks of "
              + chunkSize
              + "); expected "
              + expected);
    }
    for (String chunk : file.chunks()) {
      if (chunk == null || !SHA256.matcher(chunk).matches()) {
        throw new BadInputException(
            origin + " lists a chunk hash of " + file.name() + " that is no SHA-256");
      }
    }
  }
}
