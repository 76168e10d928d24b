package org.opdeploy.deploy.activate;

import java.nio.file.Path;
import org.opdeploy.version.Version;

/**
 * What {@code rollback} would do, without doing it: switch from {@code previous} (the version
 * active now, null when none) to {@code version}, deployed at {@code deployment}.
 */
public record RollbackPlan(Version version, Version previous, Path deployment) {}
