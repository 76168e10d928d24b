package org.opdeploy.github.fake;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A stored asset of the fake (mutable; guarded by the fake's lock). Tests see {@link AssetView}.
 */
public final class FakeAsset {
  final long id;
  final String name;
  final Instant created = Instant.now();
  String state = "starter";
  long size;
  String digest;
  Path file;

  FakeAsset(long id, String name) {
    this.id = id;
    this.name = name;
  }

  AssetView view() {
    return new AssetView(id, name, state, size, digest);
  }

  /** What a test can inspect about an asset; {@code digest} is {@code sha256:<hex>} or null. */
  public record AssetView(long id, String name, String state, long size, String digest) {}
}
