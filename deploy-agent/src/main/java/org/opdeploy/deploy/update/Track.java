package org.opdeploy.deploy.update;

import java.util.Locale;
import org.opdeploy.error.BadInputException;
import org.opdeploy.version.Version;

/**
 * Which releases a target upgrades to on its own ({@code upgrade latest}, {@code check-new}):
 * {@code stable} takes only {@code vX.Y.Z}, {@code prerelease} also SemVer prereleases such as
 * {@code v2.0.0-rc.1}, {@code nightly} also {@code nightly-YYYYMMDD[.N]}.
 */
public enum Track {
  STABLE,
  PRERELEASE,
  NIGHTLY;

  public static Track parse(String text) throws BadInputException {
    if (text == null) {
      return STABLE;
    }
    try {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadInputException(
          "invalid track '" + text + "': use stable, prerelease or nightly");
    }
  }

  public boolean allows(Version version) {
    return switch (this) {
      case STABLE -> !version.isPrerelease();
      case PRERELEASE -> !version.isNightly();
      case NIGHTLY -> true;
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
