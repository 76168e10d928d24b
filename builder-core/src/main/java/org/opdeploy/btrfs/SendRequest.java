package org.opdeploy.btrfs;

import java.nio.file.Path;

/**
 * One {@code btrfs send}: the read-only snapshot, an optional read-only parent for an incremental
 * stream, the protocol version (0 lets btrfs choose) and whether to pass extents compressed.
 */
public record SendRequest(Path snapshot, Path parent, int protocol, boolean compressedData) {
  public static SendRequest full(Path snapshot) {
    return new SendRequest(snapshot, null, 0, false);
  }

  public SendRequest withParent(Path value) {
    return new SendRequest(snapshot, value, protocol, compressedData);
  }

  public SendRequest withProtocol(int value, boolean compressed) {
    return new SendRequest(snapshot, parent, value, compressed);
  }
}
