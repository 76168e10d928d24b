package org.opdeploy.snapshot;

import java.nio.file.Path;
import org.opdeploy.version.Version;

/** One versioned snapshot {@code <pool>/@<name>-<VERSION>} as the pool holds it. */
public record SnapshotEntry(Version version, Path path, String uuid, boolean readOnly) {}
