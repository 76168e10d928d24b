package org.opdeploy.github.fake;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A release of the fake (mutable; guarded by the fake's lock). Tests see {@link ReleaseView}. */
public final class FakeRelease {
  final long id;
  final String ownerRepo;
  final String tag;
  final Instant created = Instant.now();
  String name;
  String body;
  boolean draft;
  boolean prerelease;
  boolean immutable;
  Instant published;
  final List<FakeAsset> assets = new ArrayList<>();

  FakeRelease(long id, String ownerRepo, String tag) {
    this.id = id;
    this.ownerRepo = ownerRepo;
    this.tag = tag;
  }

  FakeAsset asset(String assetName) {
    return assets.stream().filter(a -> a.name.equals(assetName)).findFirst().orElse(null);
  }

  ReleaseView view() {
    return new ReleaseView(
        id,
        tag,
        name,
        body,
        draft,
        prerelease,
        immutable,
        assets.stream().map(FakeAsset::view).toList());
  }

  /** What a test can inspect about a release. */
  public record ReleaseView(
      long id,
      String tag,
      String name,
      String body,
      boolean draft,
      boolean prerelease,
      boolean immutable,
      List<FakeAsset.AssetView> assets) {

    public FakeAsset.AssetView asset(String assetName) {
      return assets.stream().filter(a -> a.name().equals(assetName)).findFirst().orElse(null);
    }
  }
}
