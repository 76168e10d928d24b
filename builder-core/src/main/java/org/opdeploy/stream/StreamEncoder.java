package org.opdeploy.stream;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import org.opdeploy.io.ReadAhead;
import org.opdeploy.manifest.ChunkIndex;
import org.opdeploy.manifest.Compression;

/**
 * Turns one {@code btrfs send} stream into stored files in a single pass through stacked streams:
 * count uncompressed bytes → zstd (multithreaded) or nothing → split into parts → SHA-256 per part.
 * Three stages overlap: a thread reads {@code btrfs send} ahead ({@link ReadAhead}), the calling
 * thread compresses, a thread writes, hashes and syncs ({@link WriteBehind}). Only fixed-size
 * buffers are held, whatever the stream's size.
 */
final class StreamEncoder {
  /** Large reads and writes keep the per-call overhead of JNI and syscalls negligible. */
  static final int BUFFER_BYTES = 1 << 20;

  /** 16 MiB of slack between btrfs send and the compressor, whatever the stream's size. */
  static final int READ_AHEAD_CHUNKS = 16;

  /** 16 MiB of slack between the compressor and the disk, which stalls for each sync. */
  static final int WRITE_BEHIND_CHUNKS = 16;

  private final Compression compression;
  private final int workers;
  private final long maxPartBytes;

  StreamEncoder(Compression compression, int workers, long maxPartBytes) {
    this.compression = compression;
    this.workers = workers;
    this.maxPartBytes = maxPartBytes;
  }

  /**
   * Reads {@code in} to its end and writes it as {@code streamName} into {@code directory} under
   * temporary names; on failure nothing written is left behind.
   */
  EncodedStream encode(InputStream in, Path directory, String streamName, LongConsumer progress)
      throws IOException {
    SplittingOutputStream split =
        new SplittingOutputStream(
            directory, "." + streamName, maxPartBytes, ChunkIndex.CHUNK_BYTES);
    WriteBehind written = new WriteBehind(split, WRITE_BEHIND_CHUNKS, BUFFER_BYTES);
    OutputStream compressed = null;
    try {
      compressed = compression.isNone() ? written : zstd(written);
      CountingOutputStream counting = new CountingOutputStream(compressed, progress);
      try (ReadAhead readAhead =
          new ReadAhead(in, READ_AHEAD_CHUNKS, BUFFER_BYTES, "send-read-ahead")) {
        readAhead.transferTo(counting);
      }
      counting.close();
      return new EncodedStream(streamName, split.parts(), counting.count());
    } catch (IOException | RuntimeException | Error e) {
      written.abort();
      closeQuietly(compressed);
      throw e;
    }
  }

  private OutputStream zstd(OutputStream out) throws IOException {
    ZstdOutputStreamNoFinalizer zstd = new ZstdOutputStreamNoFinalizer(out, compression.level());
    // The content checksum is what `zstd -d` verifies, as for files made by the zstd tool.
    zstd.setChecksum(true);
    if (workers > 1) {
      zstd.setWorkers(workers);
    }
    return zstd;
  }

  private static void closeQuietly(OutputStream stream) {
    if (stream == null) {
      return;
    }
    try {
      stream.close(); // frees the native zstd context; the files below are already gone
    } catch (IOException | RuntimeException e) {
      // Already failing; the first error is the one to report.
    }
  }
}
