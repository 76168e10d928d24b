package org.opdeploy.store;

import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;

/** A {@link ReleaseSource} that can also publish: GitHub Releases or a local directory. */
public interface ReleaseStore extends ReleaseSource {

  /**
   * Publishes every file of a sealed release folder as the release for {@code request.version()}.
   * Re-running after a failure completes the same release; readers never see it half done.
   */
  PublishResult publish(PublishRequest request, ProgressListener progress) throws OpdeployException;
}
