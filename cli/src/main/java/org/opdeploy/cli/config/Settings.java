package org.opdeploy.cli.config;

import java.nio.file.Path;
import java.time.Duration;
import org.opdeploy.btrfs.SendProtocol;
import org.opdeploy.deploy.layout.TargetSettings;
import org.opdeploy.deploy.update.Track;

/**
 * Every setting of DESIGN.md, resolved: flag, else config file, else default. Build settings first,
 * then target settings. {@code name} is null when neither flag nor file gives one: it then comes
 * from the golden spec, else {@code op-dbus}. {@code caFile} (PEM CA certificates an {@code
 * https://} source may chain to, besides the system's) is null when not set.
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
    Path caFile,
    SendProtocol sendProtocol,
    Track track) {}
