package org.opdeploy.deploy.receive;

import java.nio.file.Path;
import org.opdeploy.version.Version;

/**
 * A version received and promoted to {@code <root>/deploy/@NAME-V}.
 *
 * @param parent the version the incremental stream applied to, null for a full stream
 * @param alreadyDeployed true when the deployment was already there and nothing was received
 * @param streamBytes uncompressed bytes fed to {@code btrfs receive} (0 when nothing was)
 */
public record DeployResult(
    Version version,
    Path deployment,
    String uuid,
    Version parent,
    boolean alreadyDeployed,
    long streamBytes) {

  public boolean incremental() {
    return parent != null;
  }
}
