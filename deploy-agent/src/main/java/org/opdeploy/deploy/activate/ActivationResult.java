package org.opdeploy.deploy.activate;

import java.nio.file.Path;
import java.time.Duration;
import org.opdeploy.version.Version;

/**
 * A version made active.
 *
 * @param previous the version active before, null when there was none
 * @param unit the service the manifest names, null when it names none
 * @param restarted whether {@code unit} was (re)started: never with {@code service: none}, nor
 *     without a unit
 * @param switchTime time to switch link, mounts and state, without the service restart
 */
public record ActivationResult(
    Version version,
    Version previous,
    Path deployment,
    String unit,
    boolean restarted,
    Duration switchTime) {}
