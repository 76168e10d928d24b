package org.opdeploy.deploy.boot;

import org.opdeploy.deploy.activate.ActivationResult;
import org.opdeploy.version.Version;

/**
 * What {@code target boot} brought back.
 *
 * @param activation the version mounted and started
 * @param skipped the pending version that was not brought back, or null
 */
public record BootResult(ActivationResult activation, Version skipped) {}
