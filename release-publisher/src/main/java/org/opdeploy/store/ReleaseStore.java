package org.opdeploy.store;

import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/** A {@link ReleaseSource} that can also publish: GitHub Releases or a local directory. */
public interface ReleaseStore extends ReleaseSource {

  /**
   * Publishes every file of a sealed release folder as the release for {@code request.version()}.
   * Re-running after a failure completes the same release; readers never see it half done.
   */
  PublishResult publish(PublishRequest request, ProgressListener progress) throws OpdeployException;

  /**
   * Deletes the release of {@code version} for good: on GitHub the release (draft or published) and
   * its tag, in a folder the release's folder and its notes. Readers never see it half deleted; a
   * release already gone counts as deleted.
   */
  void delete(Version version) throws OpdeployException;
}
