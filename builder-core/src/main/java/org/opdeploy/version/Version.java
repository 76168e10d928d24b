package org.opdeploy.version;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opdeploy.error.BadInputException;

/**
 * A release version: {@code vMAJOR.MINOR.PATCH[-PRERELEASE]} ordered by SemVer 2.0 precedence, or
 * {@code nightly-YYYYMMDD[.N]}. Every nightly sorts after every tagged version, so a nightly's
 * incremental parent falls back to the newest tagged release. Anything else is refused, which is
 * what keeps a version safe to use in paths, tags and file names. Versions travel typed through the
 * manifest, the target's state and the audit log; only their JSON is text.
 */
public record Version(
    @JsonValue String text,
    int major,
    int minor,
    int patch,
    List<String> prerelease,
    LocalDate nightlyDate,
    int nightlySerial)
    implements Comparable<Version> {

  private static final Pattern SEMVER =
      Pattern.compile(
          "v(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})"
              + "(?:-((?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)"
              + "(?:\\.(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*))*))?");
  private static final Pattern NIGHTLY = Pattern.compile("nightly-(\\d{8})(?:\\.([1-9]\\d{0,5}))?");
  private static final DateTimeFormatter BASIC_DATE = DateTimeFormatter.BASIC_ISO_DATE;

  public Version {
    prerelease = List.copyOf(prerelease);
  }

  /**
   * Parses a version or throws {@link BadInputException} (exit 2) naming the expected forms. In
   * JSON (manifest, state.json, audit log) a version is its text, so files written before it was
   * typed read the same.
   */
  @JsonCreator
  public static Version parse(String text) throws BadInputException {
    if (text == null || text.length() > 128) {
      throw invalid(text);
    }
    Matcher semver = SEMVER.matcher(text);
    if (semver.matches()) {
      List<String> pre =
          semver.group(4) == null ? List.of() : List.of(semver.group(4).split("\\."));
      return new Version(
          text,
          Integer.parseInt(semver.group(1)),
          Integer.parseInt(semver.group(2)),
          Integer.parseInt(semver.group(3)),
          pre,
          null,
          0);
    }
    Matcher nightly = NIGHTLY.matcher(text);
    if (nightly.matches()) {
      try {
        LocalDate date =
            LocalDate.parse(
                nightly.group(1),
                BASIC_DATE.withResolverStyle(java.time.format.ResolverStyle.STRICT));
        int serial = nightly.group(2) == null ? 0 : Integer.parseInt(nightly.group(2));
        return new Version(text, 0, 0, 0, List.of(), date, serial);
      } catch (DateTimeParseException e) {
        throw invalid(text);
      }
    }
    throw invalid(text);
  }

  /** The version {@code text} names, or empty when it names none (folder and subvolume names). */
  public static java.util.Optional<Version> tryParse(String text) {
    try {
      return java.util.Optional.of(parse(text));
    } catch (BadInputException e) {
      return java.util.Optional.empty();
    }
  }

  /** True when {@code text} is a valid version. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (BadInputException e) {
      return false;
    }
  }

  /** The nightly name for {@code date} with serial {@code n} (0 means no suffix). */
  public static Version nightly(LocalDate date, int n) {
    String text = "nightly-" + date.format(BASIC_DATE) + (n == 0 ? "" : "." + n);
    return new Version(text, 0, 0, 0, List.of(), date, n);
  }

  private static BadInputException invalid(String text) {
    String shown =
        text == null ? "(none)" : text.isEmpty() ? "(empty)" : "'" + printable(text) + "'";
    return new BadInputException(
        "invalid version "
            + shown
            + ": expected vMAJOR.MINOR.PATCH[-PRERELEASE] (e.g. v1.2.0) or nightly-YYYYMMDD[.N]");
  }

  private static String printable(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints().limit(64).forEach(c -> out.append(c < 0x20 || c == 0x7f ? '?' : (char) c));
    return out.toString();
  }

  public boolean isNightly() {
    return nightlyDate != null;
  }

  /** A SemVer prerelease or a nightly: published as a GitHub prerelease. */
  public boolean isPrerelease() {
    return isNightly() || !prerelease.isEmpty();
  }

  /** Tagged versions and nightlies are separate tracks; downgrade checks stay within one. */
  public boolean sameTrack(Version other) {
    return isNightly() == other.isNightly();
  }

  @Override
  public int compareTo(Version other) {
    if (isNightly() != other.isNightly()) {
      return isNightly() ? 1 : -1;
    }
    if (isNightly()) {
      int byDate = nightlyDate.compareTo(other.nightlyDate);
      return byDate != 0 ? byDate : Integer.compare(nightlySerial, other.nightlySerial);
    }
    int c = Integer.compare(major, other.major);
    if (c == 0) c = Integer.compare(minor, other.minor);
    if (c == 0) c = Integer.compare(patch, other.patch);
    return c != 0 ? c : comparePrerelease(prerelease, other.prerelease);
  }

  private static int comparePrerelease(List<String> a, List<String> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return Boolean.compare(a.isEmpty(), b.isEmpty());
    }
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = compareIdentifier(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static int compareIdentifier(String x, String y) {
    boolean xNumeric = x.chars().allMatch(Character::isDigit);
    boolean yNumeric = y.chars().allMatch(Character::isDigit);
    if (xNumeric && yNumeric) {
      return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
    }
    if (xNumeric != yNumeric) {
      return xNumeric ? -1 : 1;
    }
    return x.compareTo(y);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Version v && v.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
