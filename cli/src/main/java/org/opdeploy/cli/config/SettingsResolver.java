package org.opdeploy.cli.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.opdeploy.btrfs.SendProtocol;
import org.opdeploy.deploy.layout.TargetSettings;
import org.opdeploy.deploy.update.Track;
import org.opdeploy.error.BadInputException;
import org.opdeploy.golden.DurationText;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.manifest.Compression;
import org.opdeploy.snapshot.PoolLayout;
import org.opdeploy.stream.SendSettings;

/** Merges flags over the config file over defaults, validating each value once. */
public final class SettingsResolver {
  private final FlagValues flags;
  private final ConfigFile file;

  /** The setting flags as parsed; null means "not given". */
  public interface FlagValues {
    Path pool();

    Path golden();

    String name();

    String compress();

    Long maxAssetBytes();

    String signingKeyId();

    String stepTimeout();

    Path root();

    String source();

    Path trustedKeys();

    Path mount();

    Path overlay();

    String service();

    Path caFile();

    String sendProtocol();

    Boolean compressedData();

    /** {@code --track}; null when not given. */
    default String track() {
      return null;
    }
  }

  public SettingsResolver(FlagValues flags, ConfigFile file) {
    this.flags = flags;
    this.file = file;
  }

  public Settings resolve() throws BadInputException {
    String name = pick(flags.name(), "name", Function.identity(), null);
    if (name != null) {
      AssetNames.checkName(name);
    }
    String compress = pick(flags.compress(), "compress", Function.identity(), "zstd");
    Compression.parse(compress);
    String maxBytesText =
        pick(
            flags.maxAssetBytes() == null ? null : flags.maxAssetBytes().toString(),
            "max-asset-bytes",
            Function.identity(),
            Long.toString(SendSettings.DEFAULT_MAX_ASSET_BYTES));
    long maxBytes;
    try {
      maxBytes = Long.parseLong(maxBytesText.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new BadInputException(
          "invalid max-asset-bytes '" + maxBytesText + "': give a number of bytes");
    }
    if (maxBytes < 1024 * 1024 || maxBytes > 2L * 1024 * 1024 * 1024) {
      throw new BadInputException(
          "max-asset-bytes must be between 1 MiB and 2 GiB (GitHub refuses larger assets)");
    }
    Duration stepTimeout =
        flags.stepTimeout() == null && file.get("step-timeout") == null
            ? null
            : DurationText.parse(
                pick(flags.stepTimeout(), "step-timeout", Function.identity(), null),
                "step-timeout");
    TargetSettings.ServiceMode service =
        TargetSettings.ServiceMode.parse(
            pick(flags.service(), "service", Function.identity(), "systemd"));
    String compressed =
        pick(
            flags.compressedData() == null ? null : flags.compressedData().toString(),
            "compressed-data",
            Function.identity(),
            "false");
    if (!compressed.equals("true") && !compressed.equals("false")) {
      throw new BadInputException(
          "compressed-data must be true or false, not '" + compressed + "'");
    }
    SendProtocol sendProtocol =
        SendProtocol.parse(
            pick(flags.sendProtocol(), "send-protocol", Function.identity(), null),
            Boolean.parseBoolean(compressed));
    return new Settings(
        pick(flags.pool(), "pool", Path::of, PoolLayout.DEFAULT_POOL),
        pick(flags.golden(), "golden", Path::of, Path.of("golden")),
        name,
        compress,
        maxBytes,
        pick(flags.signingKeyId(), "signing-key-id", Function.identity(), null),
        stepTimeout,
        pick(flags.root(), "root", Path::of, TargetSettings.DEFAULT_ROOT),
        pick(
            flags.source() == null || flags.source().isEmpty() ? null : flags.source(),
            "source",
            Function.identity(),
            null),
        pick(flags.trustedKeys(), "trusted-keys", Path::of, TargetSettings.DEFAULT_TRUSTED_KEYS),
        pick(flags.mount(), "mount", Path::of, TargetSettings.DEFAULT_MOUNT),
        pick(flags.overlay(), "overlay", Path::of, TargetSettings.DEFAULT_OVERLAY),
        service,
        pick(flags.caFile(), "ca-file", Path::of, null),
        sendProtocol,
        Track.parse(pick(flags.track(), "track", Function.identity(), "stable")));
  }

  private <T> T pick(T flag, String key, Function<String, T> convert, T fallback) {
    if (flag != null) {
      return flag;
    }
    String fromFile = file.get(key);
    return fromFile != null ? convert.apply(fromFile) : fallback;
  }
}
