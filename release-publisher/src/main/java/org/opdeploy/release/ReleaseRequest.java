package org.opdeploy.release;

import java.nio.file.Path;
import java.time.Duration;
import org.opdeploy.btrfs.SendProtocol;
import org.opdeploy.manifest.Compression;
import org.opdeploy.store.ReleaseStore;
import org.opdeploy.stream.ParentSelection;
import org.opdeploy.version.Version;

/**
 * One {@code opdeploy release}: what to build and where to publish it.
 *
 * @param stepTimeout overrides the golden spec's step timeout, or null
 * @param notes release notes (Markdown)
 * @param requireSignature refuse to publish an unsigned release (the default for release)
 * @param protocol the btrfs send protocol (setting {@code send-protocol})
 * @param installer opdeploy's .deb to attach to the release, or null
 */
public record ReleaseRequest(
    Version version,
    ParentSelection parent,
    Compression compression,
    long maxAssetBytes,
    Duration stepTimeout,
    ReleaseStore store,
    String notes,
    boolean draft,
    boolean requireSignature,
    SendProtocol protocol,
    Path installer) {

  /** A release sent with the default protocol 1, without opdeploy's installer attached. */
  public ReleaseRequest(
      Version version,
      ParentSelection parent,
      Compression compression,
      long maxAssetBytes,
      Duration stepTimeout,
      ReleaseStore store,
      String notes,
      boolean draft,
      boolean requireSignature) {
    this(
        version,
        parent,
        compression,
        maxAssetBytes,
        stepTimeout,
        store,
        notes,
        draft,
        requireSignature,
        SendProtocol.DEFAULT,
        null);
  }
}
