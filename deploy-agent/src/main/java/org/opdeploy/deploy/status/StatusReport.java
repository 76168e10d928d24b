package org.opdeploy.deploy.status;

import java.util.List;
import org.opdeploy.version.Version;

/**
 * What {@code status} prints (text or JSON): the active, previous and last-known-good versions,
 * every installed version with its size, versions whose upgrade failed, the source last used and
 * downloads waiting to be continued, and a switch not finished ({@code pendingSwitch}, null when
 * none). Versions are null when unset.
 */
public record StatusReport(
    Version active,
    Version previous,
    Version lastKnownGood,
    List<InstalledVersion> installed,
    List<Version> failed,
    String source,
    List<PendingDownload> pendingDownloads,
    PendingSwitch pendingSwitch) {

  public StatusReport {
    installed = List.copyOf(installed);
    failed = List.copyOf(failed);
    pendingDownloads = List.copyOf(pendingDownloads);
  }
}
