package org.opdeploy.cli.config;

import java.nio.file.Path;
import java.time.Duration;
import org.opdeploy.deploy.TargetSettings;
import org.opdeploy.deploy.update.Track;

/**
 * Every setting of DESIGN.md, resolved: flag, else config file, else default. Build settings
 * first, then target settings. {@code name} is null when neither flag nor file gives one: it then
 * comes from the golden spec, else {@code op-dbus}.
 */
public record Settings(
    Path pool,
    Path golden,
    String name,
    String compress,
    long maxAssetBytes,
    String signingKeyId,
    Duration stepTimeout,
    Path root,
    String source,
    Path trustedKeys,
    Path mount,
    Path overlay,
    TargetSettings.ServiceMode service,
    Track track) {}
