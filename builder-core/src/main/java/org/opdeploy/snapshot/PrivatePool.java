package org.opdeploy.snapshot;

import java.nio.file.Path;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;

/**
 * Keeps the build pool to its owner: the golden and the snapshots hold the whole system before
 * release (configuration, keys a step installed), so other local users must not read them. The
 * subvolumes' own root folders cannot be restricted (their mode becomes the deployed tree's {@code
 * /}), so the pool folder that holds them and {@code .opdeploy} are made 0700. Release folders
 * written with {@code send --out} outside the pool keep their ordinary, readable modes.
 */
public final class PrivatePool {
  private PrivatePool() {}

  /** Restricts the pool folder and its state folder to their owner; reports a change it made. */
  public static void restrict(PoolLayout pool, ProgressListener listener) throws OpdeployException {
    for (Path dir : new Path[] {pool.pool(), pool.stateDirectory()}) {
      if (PrivateFolder.restrict(dir)) {
        listener.info(
            "restricted "
                + dir
                + " to its owner (0700): the golden and snapshots are not"
                + " for other local users");
      }
    }
  }
}
