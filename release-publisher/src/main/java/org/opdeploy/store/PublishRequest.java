package org.opdeploy.store;

import java.nio.file.Path;
import org.opdeploy.version.Version;

/**
 * A sealed release folder to publish, with its title and notes. {@code draft} leaves a GitHub
 * release unpublished; {@code prerelease} marks nightlies and SemVer prereleases.
 */
public record PublishRequest(
    Version version,
    Path directory,
    String title,
    String notes,
    boolean draft,
    boolean prerelease) {}
