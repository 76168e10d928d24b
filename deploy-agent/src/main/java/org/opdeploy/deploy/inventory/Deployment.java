package org.opdeploy.deploy.inventory;

import java.nio.file.Path;
import org.opdeploy.btrfs.SubvolumeInfo;
import org.opdeploy.version.Version;

/** One received, promoted deployment {@code <root>/deploy/@NAME-V} and what btrfs says of it. */
public record Deployment(Version version, Path path, SubvolumeInfo subvolume) {

  /** True when it still carries the received uuid that incremental streams are matched on. */
  public boolean hasReceivedUuid() {
    return subvolume.received().isPresent();
  }
}
