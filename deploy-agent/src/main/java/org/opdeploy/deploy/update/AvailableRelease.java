package org.opdeploy.deploy.update;

import org.opdeploy.version.Version;

/**
 * One version at a release source as this target sees it. For a version newer than the active one
 * and not installed, {@code stream} is the stream a deploy would receive ({@code full} or {@code
 * incremental} from {@code parent}) and {@code downloadBytes} its stored size; otherwise both are
 * null (and {@code downloadBytes} -1).
 */
public record AvailableRelease(
    Version version,
    boolean installed,
    boolean active,
    boolean allowed,
    String stream,
    Version parent,
    long downloadBytes) {}
