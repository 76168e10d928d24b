package org.opdeploy.deploy.activate;

import java.nio.file.Path;
import java.time.Duration;
import org.opdeploy.version.Version;

/**
 * A version made active.
 *
 * @param previous the version active before, null when there was none
 * @param unit the service restarted, null when the manifest names none
 * @param switchTime time to switch link, mounts and state, without the service restart
 */
public record ActivationResult(
    Version version, Version previous, Path deployment, String unit, Duration switchTime) {}
