package org.opdeploy.deploy.status;

import java.time.Instant;
import org.opdeploy.version.Version;

/**
 * A switch recorded in {@code switch.json} and not finished: one running now, or one a killed run
 * left, which the next mutating command (or {@code target boot}) completes or undoes. Until then
 * {@code active} in the status is the committed version, the one the recovery keeps unless the
 * switch had already been committed.
 */
public record PendingSwitch(
    String command, Version from, Version to, boolean healthCheck, Instant started) {}
