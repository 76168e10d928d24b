package org.opdeploy.stream;

import java.util.Optional;
import org.opdeploy.error.BadInputException;
import org.opdeploy.version.Version;

/**
 * Which snapshot an incremental stream is computed against ({@code --parent auto|none|P}): {@code
 * auto} takes the newest older read-only snapshot, {@code none} sends only the full stream, and a
 * version names the parent explicitly.
 */
public record ParentSelection(Mode mode, Version version) {

  /** How the parent is chosen. */
  public enum Mode {
    AUTO,
    NONE,
    EXPLICIT
  }

  public static final ParentSelection AUTO = new ParentSelection(Mode.AUTO, null);
  public static final ParentSelection NONE = new ParentSelection(Mode.NONE, null);

  public ParentSelection {
    if ((mode == Mode.EXPLICIT) != (version != null)) {
      throw new IllegalArgumentException("a version is given exactly when the parent is explicit");
    }
  }

  public static ParentSelection of(Version version) {
    return new ParentSelection(Mode.EXPLICIT, version);
  }

  /** Parses {@code auto}, {@code none} or a version; a bad version is exit 2. */
  public static ParentSelection parse(String text) throws BadInputException {
    if (text == null || text.equals("auto")) {
      return AUTO;
    }
    if (text.equals("none")) {
      return NONE;
    }
    try {
      return of(Version.parse(text));
    } catch (BadInputException e) {
      throw new BadInputException(
          "invalid --parent: use auto, none or a version; " + e.getMessage());
    }
  }

  public Optional<Version> explicit() {
    return Optional.ofNullable(version);
  }

  @Override
  public String toString() {
    return mode == Mode.EXPLICIT
        ? version.toString()
        : mode.name().toLowerCase(java.util.Locale.ROOT);
  }
}
