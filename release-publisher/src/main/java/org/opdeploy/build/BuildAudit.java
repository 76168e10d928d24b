package org.opdeploy.build;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.seal.ReleaseSigner;
import org.opdeploy.snapshot.PruneResult;
import org.opdeploy.snapshot.SnapshotEntry;
import org.opdeploy.store.PublishResult;
import org.opdeploy.store.ReleasePrunePlan;
import org.opdeploy.store.RemoteAsset;

/**
 * What a build command's audit entry says it did, in the keys the target's entries use too: {@code
 * to_version}, {@code from_version} (the parent of an incremental), {@code streams} (kinds), {@code
 * bytes} (stored), {@code url}.
 */
final class BuildAudit {
  private BuildAudit() {}

  /** The streams a manifest lists: the version, the incremental's parent, kinds and bytes. */
  static Map<String, String> streams(Manifest manifest) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("to_version", manifest.version().toString());
    manifest.streams().stream()
        .filter(s -> !s.isFull() && s.parent() != null)
        .findFirst()
        .ifPresent(s -> details.put("from_version", s.parent().version().toString()));
    details.put(
        "streams", manifest.streams().stream().map(Manifest.Stream::kind).collect(joining()));
    details.put(
        "bytes",
        Long.toString(manifest.streams().stream().mapToLong(Manifest.Stream::storedSize).sum()));
    return details;
  }

  /** Where a release was published, how much was uploaded, and whether it carries a signature. */
  static Map<String, String> published(PublishResult result) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("url", result.url());
    details.put("draft", Boolean.toString(result.draft()));
    details.put("uploaded", Integer.toString(result.uploaded().size()));
    details.put("skipped", Integer.toString(result.skipped().size()));
    details.put(
        "signed",
        Boolean.toString(
            result.assets().stream()
                .map(RemoteAsset::name)
                .anyMatch(AssetNames.SHA256SUMS_SIGNATURE::equals)));
    return details;
  }

  static Map<String, String> pruned(PruneResult result) {
    return Map.of(
        "deleted",
        result.deleted().stream()
            .map(SnapshotEntry::version)
            .map(Object::toString)
            .collect(joining()),
        "kept",
        Integer.toString(result.kept().size()));
  }

  static Map<String, String> releasesPruned(ReleasePrunePlan plan) {
    return Map.of(
        "deleted",
        plan.delete().stream().map(Object::toString).collect(joining()),
        "kept",
        Integer.toString(plan.keep().size()));
  }

  /** {@code details} and who signed: the signer's fingerprint, or {@code none}. */
  static Map<String, String> withSigner(Map<String, String> details, ReleaseSigner signer) {
    Map<String, String> all = new LinkedHashMap<>(details);
    all.put("signer", signer == null ? "none" : signer.fingerprint());
    return all;
  }

  private static java.util.stream.Collector<CharSequence, ?, String> joining() {
    return Collectors.joining(",");
  }
}
