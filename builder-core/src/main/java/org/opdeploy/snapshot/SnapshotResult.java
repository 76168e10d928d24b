package org.opdeploy.snapshot;

import java.nio.file.Path;
import org.opdeploy.version.Version;

/** A snapshot just taken: its version, where it is and its btrfs uuid. */
public record SnapshotResult(Version version, Path path, String uuid) {}
