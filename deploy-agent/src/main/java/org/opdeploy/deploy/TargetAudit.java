package org.opdeploy.deploy;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.opdeploy.deploy.activate.ActivationResult;
import org.opdeploy.deploy.activate.UpgradeResult;
import org.opdeploy.deploy.prepare.PrepareCheck;
import org.opdeploy.deploy.prepare.PrepareReport;
import org.opdeploy.deploy.prune.PruneResult;
import org.opdeploy.deploy.receive.DeployResult;
import org.opdeploy.deploy.release.FetchedRelease;
import org.opdeploy.store.ReleaseSource;
import org.opdeploy.version.Version;

/**
 * What a target command's audit entry says it did: {@code source}, {@code from_version} (active
 * before) and {@code to_version}, {@code stream} ({@code full}, {@code incremental}, or {@code
 * none} when the version was already there), its {@code parent} and {@code bytes}.
 */
final class TargetAudit {
  private TargetAudit() {}

  static Map<String, String> source(ReleaseSource source) {
    return Map.of("source", source.describe());
  }

  static Map<String, String> fetched(FetchedRelease fetched) {
    Map<String, String> details = new HashMap<>();
    details.put("to_version", fetched.version().toString());
    details.put("stream", fetched.stream().kind());
    if (fetched.parent() != null) {
      details.put("parent", fetched.parent().version().toString());
    }
    details.put("bytes", Long.toString(fetched.downloadedBytes()));
    return details;
  }

  static Map<String, String> deployed(DeployResult deployed) {
    Map<String, String> details = new HashMap<>();
    details.put("to_version", deployed.version().toString());
    details.put(
        "stream",
        deployed.alreadyDeployed() ? "none" : deployed.incremental() ? "incremental" : "full");
    if (deployed.parent() != null) {
      details.put("parent", deployed.parent().toString());
    }
    details.put("bytes", Long.toString(deployed.streamBytes()));
    return details;
  }

  static Map<String, String> activated(ActivationResult activation) {
    Map<String, String> details = new HashMap<>();
    details.put("to_version", activation.version().toString());
    details.put("from_version", text(activation.previous()));
    return details;
  }

  static Map<String, String> upgraded(UpgradeResult upgrade) {
    Map<String, String> details = deployed(upgrade.deploy());
    details.putAll(activated(upgrade.activation()));
    return details;
  }

  static Map<String, String> pruned(PruneResult result) {
    return Map.of(
        "removed",
        result.removed().stream().map(Version::toString).collect(Collectors.joining(",")),
        "kept",
        Integer.toString(result.kept().size()));
  }

  static Map<String, String> prepared(PrepareReport report) {
    return Map.of(
        "ready",
        Boolean.toString(report.ready()),
        "failed",
        report.checks().stream()
            .filter(c -> !c.ok())
            .map(PrepareCheck::name)
            .collect(Collectors.joining(",")));
  }

  /** A version, or {@code none} where there was none (nothing active before). */
  private static String text(Version version) {
    return version == null ? "none" : version.toString();
  }
}
