package org.opdeploy.deploy.release;

import java.nio.file.Path;

/** A complete downloaded asset in the cache and the SHA-256 computed while it was written. */
public record FetchedFile(String name, Path path, long size, String sha256) {}
