package org.opdeploy.stream;

import java.nio.file.Path;

/** A file written completely under a temporary name, with its size and SHA-256 (hex). */
record StagedFile(Path temporary, long size, String sha256) {}
