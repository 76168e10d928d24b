package org.opdeploy.deploy.activate;

import org.opdeploy.deploy.receive.DeployResult;
import org.opdeploy.deploy.service.HealthReport;

/** A version deployed, activated and found healthy. */
public record UpgradeResult(
    DeployResult deploy, ActivationResult activation, HealthReport health) {}
