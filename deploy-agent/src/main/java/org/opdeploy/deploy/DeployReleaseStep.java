package org.opdeploy.deploy;

import org.opdeploy.deploy.fetch.FetchReleaseStep;
import org.opdeploy.deploy.receive.DeployResult;
import org.opdeploy.deploy.receive.ReceiveDeploymentStep;
import org.opdeploy.deploy.release.FetchedRelease;
import org.opdeploy.deploy.release.TrustedRelease;
import org.opdeploy.deploy.verify.VerifyFetchedReleaseStep;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.version.Version;

/**
 * {@code deploy VERSION --from SOURCE}: fetch what is needed, prove all of it, and only then
 * receive and promote it. Nothing is activated.
 */
public final class DeployReleaseStep {
  private final FetchReleaseStep fetch;
  private final VerifyFetchedReleaseStep verify;
  private final ReceiveDeploymentStep receive;

  public DeployReleaseStep(FetchReleaseStep fetch, VerifyFetchedReleaseStep verify, ReceiveDeploymentStep receive) {
    this.fetch = fetch;
    this.verify = verify;
    this.receive = receive;
  }

  public DeployResult run(Version version) throws OpdeployException {
    FetchedRelease fetched = fetch.run(version);
    TrustedRelease trusted = verify.run(fetched);
    return receive.run(trusted);
  }
}
