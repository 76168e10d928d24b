package org.opdeploy.store;

import java.util.List;

/** Where the release now lives and what it holds; {@code skipped} assets were already there. */
public record PublishResult(
    String url,
    List<RemoteAsset> assets,
    List<String> uploaded,
    List<String> skipped,
    boolean draft) {
  public PublishResult {
    assets = List.copyOf(assets);
    uploaded = List.copyOf(uploaded);
    skipped = List.copyOf(skipped);
  }
}
