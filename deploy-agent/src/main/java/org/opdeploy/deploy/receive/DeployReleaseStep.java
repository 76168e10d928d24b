package org.opdeploy.deploy.receive;

import org.opdeploy.deploy.fetch.FetchReleaseStep;
import org.opdeploy.deploy.release.FetchedRelease;
import org.opdeploy.deploy.release.TrustedRelease;
import org.opdeploy.deploy.verify.VerifyFetchedReleaseStep;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.error.VerificationException;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/**
 * {@code deploy VERSION --from SOURCE}: fetch what is needed, prove all of it, and only then
 * receive and promote it; a stream with a chunk index is proven chunk by chunk as it is received
 * instead, and when a chunk is refused the release leaves nothing in the cache, as a release
 * refused while fetching does. Nothing is activated. An incremental stream this target cannot apply
 * for a reason of its own ({@link IncrementalNotApplicableException}) is given up once for the full
 * stream of the same release; a trust failure never is.
 */
public final class DeployReleaseStep {
  private final FetchReleaseStep fetch;
  private final VerifyFetchedReleaseStep verify;
  private final ReceiveDeploymentStep receive;
  private final ProgressListener progress;

  public DeployReleaseStep(
      FetchReleaseStep fetch,
      VerifyFetchedReleaseStep verify,
      ReceiveDeploymentStep receive,
      ProgressListener progress) {
    this.fetch = fetch;
    this.verify = verify;
    this.receive = receive;
    this.progress = progress;
  }

  public DeployResult run(Version version) throws OpdeployException {
    FetchedRelease fetched = fetch.run(version, false);
    TrustedRelease trusted = verify.run(fetched);
    try {
      return receiveRefusingClean(trusted);
    } catch (IncrementalNotApplicableException e) {
      progress.warn(e.getMessage() + "; falling back to the full stream of " + version);
      receive.dropStreamFiles(fetched);
      FetchedRelease full = fetch.run(version, true);
      return receiveRefusingClean(verify.run(full));
    }
  }

  private DeployResult receiveRefusingClean(TrustedRelease trusted) throws OpdeployException {
    try {
      return receive.run(trusted);
    } catch (VerificationException e) {
      if (trusted.fetched().streamed() != null) {
        fetch.forgetRefused(trusted.fetched().version(), trusted.fetched().directory());
      }
      throw e;
    }
  }
}
