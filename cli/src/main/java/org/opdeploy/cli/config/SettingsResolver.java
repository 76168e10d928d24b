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
    String name = value(flags.name(), "name", SettingsResolver::payloadName, null);
    String compress = value(flags.compress(), "compress", SettingsResolver::compression, "zstd");
    long maxBytes =
        value(
            flags.maxAssetBytes() == null ? null : flags.maxAssetBytes().toString(),
            "max-asset-bytes",
            SettingsResolver::maxAssetBytes,
            SendSettings.DEFAULT_MAX_ASSET_BYTES);
    String stepTimeoutText = pick(flags.stepTimeout(), "step-timeout", Function.identity(), null);
    Duration stepTimeout =
        stepTimeoutText == null
            ? null
            : DurationText.parse(stepTimeoutText, origin(flags.stepTimeout(), "step-timeout"));
    TargetSettings.ServiceMode service =
        value(flags.service(), "service", TargetSettings.ServiceMode::parse, null);
    boolean compressed =
        value(
            flags.compressedData() == null ? null : flags.compressedData().toString(),
            "compressed-data",
            SettingsResolver::trueOrFalse,
            false);
    String protocol = pick(flags.sendProtocol(), "send-protocol", Function.identity(), null);
    value(flags.sendProtocol(), "send-protocol", p -> SendProtocol.parse(p, false), null);
    SendProtocol sendProtocol = SendProtocol.parse(protocol, compressed);
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
        service == null ? TargetSettings.ServiceMode.SYSTEMD : service,
        pick(flags.caFile(), "ca-file", Path::of, null),
        sendProtocol,
        value(flags.track(), "track", Track::parse, Track.STABLE));
  }

  /** Reads a setting's text into a value; refuses (exit 2) one it cannot. */
  private interface Parser<T> {
    T parse(String text) throws BadInputException;
  }

  /**
   * The flag's value, else the file's, parsed, else {@code fallback}. A refused value is reported
   * with where it was given ({@code --track: …}, {@code config file FILE:LINE:COLUMN: track: …}),
   * so the message says what to fix.
   */
  private <T> T value(String flag, String key, Parser<T> parser, T fallback)
      throws BadInputException {
    String text = flag != null ? flag : file.get(key);
    if (text == null) {
      return fallback;
    }
    try {
      return parser.parse(text);
    } catch (BadInputException e) {
      throw new BadInputException(origin(flag, key) + ": " + e.getMessage());
    }
  }

  private String origin(String flag, String key) {
    return flag != null ? "--" + key : file.describe(key);
  }

  private static String payloadName(String text) throws BadInputException {
    AssetNames.checkName(text);
    return text;
  }

  private static String compression(String text) throws BadInputException {
    Compression.parse(text);
    return text;
  }

  private static long maxAssetBytes(String text) throws BadInputException {
    long bytes;
    try {
      bytes = Long.parseLong(text.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new BadInputException("'" + text + "' is not a number of bytes");
    }
    if (bytes < 1024 * 1024 || bytes > 2L * 1024 * 1024 * 1024) {
      throw new BadInputException(
          "must be between 1 MiB and 2 GiB (GitHub refuses larger assets), not " + bytes);
    }
    return bytes;
  }

  private static boolean trueOrFalse(String text) throws BadInputException {
    if (!text.equals("true") && !text.equals("false")) {
      throw new BadInputException("must be true or false, not '" + text + "'");
    }
    return Boolean.parseBoolean(text);
  }

  private <T> T pick(T flag, String key, Function<String, T> convert, T fallback) {
    if (flag != null) {
      return flag;
    }
    String fromFile = file.get(key);
    return fromFile != null ? convert.apply(fromFile) : fallback;
  }
}
