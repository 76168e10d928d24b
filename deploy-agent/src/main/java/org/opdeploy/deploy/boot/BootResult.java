package org.opdeploy.deploy.boot;

import org.opdeploy.deploy.activate.ActivationResult;
import org.opdeploy.version.Version;

/**
 * What {@code target boot} brought back.
 *
 * @param activation the version mounted and started
 * @param skipped the version whose unfinished upgrade was undone instead of brought back, or null
 */
public record BootResult(ActivationResult activation, Version skipped) {}
