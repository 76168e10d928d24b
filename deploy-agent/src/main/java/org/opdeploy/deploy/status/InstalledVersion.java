package org.opdeploy.deploy.status;

import java.nio.file.Path;
import org.opdeploy.version.Version;

/**
 * One deployment on the target. {@code bytes} is the size of its full send stream as its manifest
 * records it (the apparent size of its data), or -1 when the manifest is no longer cached.
 */
public record InstalledVersion(Version version, Path path, long bytes) {}
