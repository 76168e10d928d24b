package org.opdeploy.cli.command;

import java.util.LinkedHashMap;
import java.util.Map;
import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.deploy.update.AvailableRelease;
import org.opdeploy.deploy.update.AvailableReleases;
import org.opdeploy.error.OpdeployException;

/**
 * What check-new, list --source and upgrade latest share: the releases a source offers this target.
 */
final class AvailableReleasesSupport {
  private AvailableReleasesSupport() {}

  /** {@code from}, else the source setting; {@code details}: which stream and how many bytes. */
  static AvailableReleases read(CommandContext context, String from, boolean details)
      throws OpdeployException {
    return TargetCommandSupport.agent(context)
        .available(TargetCommandSupport.source(context, from), context.settings().track(), details);
  }

  static Map<String, Object> fields(AvailableReleases available) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("source", available.source());
    doc.put("track", available.track().toString());
    doc.put("active", available.active().map(Object::toString).orElse(null));
    doc.put("newest", available.newest().map(Object::toString).orElse(null));
    return doc;
  }

  static Map<String, Object> fields(AvailableRelease release) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("version", release.version().toString());
    doc.put("installed", release.installed());
    doc.put("active", release.active());
    doc.put("allowed", release.allowed());
    doc.put("stream", release.stream());
    doc.put("parent", release.parent() == null ? null : release.parent().toString());
    doc.put("download_bytes", release.downloadBytes() < 0 ? null : release.downloadBytes());
    return doc;
  }
}
