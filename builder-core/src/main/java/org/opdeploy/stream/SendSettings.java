package org.opdeploy.stream;

import java.nio.file.Path;
import org.opdeploy.btrfs.SendProtocol;
import org.opdeploy.manifest.Compression;
import org.opdeploy.version.Version;

/**
 * What {@code opdeploy send} was asked for: the version to send, how its incremental parent is
 * chosen, the compression, the largest stored file before a stream is split into parts, the output
 * folder, how many zstd worker threads to use (0: one per processor) and the btrfs send protocol (1
 * unless the setting {@code send-protocol} asks for 2).
 */
public record SendSettings(
    Version version,
    ParentSelection parent,
    Compression compression,
    long maxAssetBytes,
    Path outDir,
    int workers,
    SendProtocol protocol) {

  /** GitHub refuses release assets of 2 GiB and more; stay clearly below. */
  public static final long DEFAULT_MAX_ASSET_BYTES = 2_000_000_000L;

  public SendSettings {
    if (maxAssetBytes < 1) {
      throw new IllegalArgumentException("max-asset-bytes must be positive, was " + maxAssetBytes);
    }
    if (protocol == null) {
      throw new IllegalArgumentException("no send protocol");
    }
    if (workers < 0) {
      throw new IllegalArgumentException("workers must not be negative, was " + workers);
    }
  }

  /** Parent {@code auto}, zstd at the default level, default part size, all processors. */
  public static SendSettings of(Version version, Path outDir) {
    return new SendSettings(
        version,
        ParentSelection.AUTO,
        Compression.zstd(Compression.DEFAULT_ZSTD_LEVEL),
        DEFAULT_MAX_ASSET_BYTES,
        outDir,
        0,
        SendProtocol.DEFAULT);
  }

  public SendSettings withParent(ParentSelection value) {
    return new SendSettings(version, value, compression, maxAssetBytes, outDir, workers, protocol);
  }

  public SendSettings withCompression(Compression value) {
    return new SendSettings(version, parent, value, maxAssetBytes, outDir, workers, protocol);
  }

  public SendSettings withMaxAssetBytes(long value) {
    return new SendSettings(version, parent, compression, value, outDir, workers, protocol);
  }

  public SendSettings withWorkers(int value) {
    return new SendSettings(version, parent, compression, maxAssetBytes, outDir, value, protocol);
  }

  public SendSettings withProtocol(SendProtocol value) {
    return new SendSettings(version, parent, compression, maxAssetBytes, outDir, workers, value);
  }

  /** The zstd worker count actually used. */
  public int effectiveWorkers() {
    return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
  }
}
