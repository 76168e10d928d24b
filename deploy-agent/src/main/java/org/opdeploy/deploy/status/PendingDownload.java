package org.opdeploy.deploy.status;

import java.nio.file.Path;

/** A {@code .partial} file in the cache: a download that a later fetch continues. */
public record PendingDownload(String version, Path file, long bytes) {}
