package org.opdeploy.manifest;

import java.util.Optional;
import java.util.regex.Pattern;
import org.opdeploy.error.BadInputException;
import org.opdeploy.version.Version;

/** The release asset names of DESIGN.md, in one place so both sides agree byte for byte. */
public final class AssetNames {
  public static final String SHA256SUMS = "SHA256SUMS";
  public static final String SHA256SUMS_SIGNATURE = "SHA256SUMS.asc";
  public static final String CHECKSUM_SUFFIX = ".sha256";
  public static final String PART_INFIX = ".part";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private AssetNames() {}

  /** Validates a payload name ({@code op-dbus}): it becomes part of paths and asset names. */
  public static String checkName(String name) throws BadInputException {
    if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
      throw new BadInputException(
          "invalid name '" + name + "': use lowercase letters, digits, '.', '_' and '-'");
    }
    return name;
  }

  /**
   * Checks a release asset's file name from a source before it becomes part of a path: no folder
   * separator, not hidden, not {@code .} or {@code ..}, so that it names a file inside the
   * release's folder and nothing else.
   */
  public static String checkFileName(String name) throws BadInputException {
    if (name == null
        || name.isEmpty()
        || name.contains("/")
        || name.contains("\0")
        || name.startsWith(".")) {
      throw new BadInputException("invalid asset name '" + name + "'");
    }
    return name;
  }

  public static String fullStream(String name, Version version, Compression compression) {
    return name + "-" + version + ".send" + compression.suffix();
  }

  public static String incrementalStream(
      String name, Version version, Version parent, Compression compression) {
    return name + "-" + version + "-from-" + parent + ".send" + compression.suffix();
  }

  /** {@code <stream>.part000}, {@code .part001}, … */
  public static String part(String stream, int index) {
    return String.format("%s%s%03d", stream, PART_INFIX, index);
  }

  public static String checksumOf(String file) {
    return file + CHECKSUM_SUFFIX;
  }

  public static String manifest(String name, Version version) {
    return name + "-" + version + ".manifest.json";
  }

  /** The snapshot subvolume name {@code @<name>-<V>} used in the pool and on targets. */
  public static String subvolume(String name, Version version) {
    return "@" + name + "-" + version;
  }

  /**
   * The version a subvolume name {@code @<name>-<V>} carries, the inverse of {@link #subvolume}:
   * empty for the golden and anything else. {@code nameOrNull} pins the payload name (the pool
   * knows it); without it (a target's deploy folder) any payload name is accepted. Payload names
   * have dashes of their own, so the first dash whose suffix is a version wins.
   */
  public static Optional<Version> subvolumeVersion(String subvolume, String nameOrNull) {
    if (!subvolume.startsWith("@")) {
      return Optional.empty();
    }
    for (int dash = subvolume.indexOf('-'); dash > 1; dash = subvolume.indexOf('-', dash + 1)) {
      Optional<Version> version = Version.tryParse(subvolume.substring(dash + 1));
      if (version.isPresent()
          && (nameOrNull == null || nameOrNull.equals(subvolume.substring(1, dash)))) {
        return version;
      }
    }
    return Optional.empty();
  }

  public static String goldenSubvolume(String name) {
    return "@" + name + "-golden";
  }
}
