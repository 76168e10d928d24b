package org.opdeploy.deploy.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.opdeploy.error.BadInputException;
import org.opdeploy.version.Version;

/**
 * What {@code <root>/state.json} remembers: the payload name, the active, previous and
 * last-known-good versions, the highest version ever installed on each track (tagged, nightly) for
 * the downgrade rule, versions whose upgrade failed, and the source last used.
 */
public record TargetState(
    int format,
    String name,
    String active,
    String previous,
    String lastKnownGood,
    Map<String, String> highestInstalled,
    List<String> failed,
    String source,
    Instant updated) {

  public static final int FORMAT = 1;
  static final String TAGGED = "tagged";
  static final String NIGHTLY = "nightly";

  public TargetState {
    highestInstalled = highestInstalled == null ? Map.of() : Map.copyOf(highestInstalled);
    failed = failed == null ? List.of() : List.copyOf(failed);
  }

  /** A target nothing was ever installed on. */
  public static TargetState empty() {
    return new TargetState(FORMAT, null, null, null, null, Map.of(), List.of(), null, null);
  }

  public Optional<Version> activeVersion() {
    return parse(active);
  }

  public Optional<Version> previousVersion() {
    return parse(previous);
  }

  public Optional<Version> lastKnownGoodVersion() {
    return parse(lastKnownGood);
  }

  /** The highest version installed so far on the same track as {@code version}. */
  public Optional<Version> highestOnTrackOf(Version version) {
    return parse(highestInstalled.get(track(version)));
  }

  /** Records {@code version} as installed (received) under payload {@code payloadName}. */
  public TargetState withInstalled(String payloadName, Version version) {
    Map<String, String> highest = new TreeMap<>(highestInstalled);
    Optional<Version> current = highestOnTrackOf(version);
    if (current.isEmpty() || version.compareTo(current.get()) > 0) {
      highest.put(track(version), version.toString());
    }
    return new TargetState(
        FORMAT, payloadName, active, previous, lastKnownGood, highest, failed, source, updated);
  }

  /** Makes {@code version} active; the version active until now becomes previous. */
  public TargetState withActivated(Version version) {
    String before = version.toString().equals(active) ? previous : active;
    return new TargetState(
        FORMAT,
        name,
        version.toString(),
        before,
        lastKnownGood,
        highestInstalled,
        failed,
        source,
        updated);
  }

  /** Puts back the active and previous versions of {@code before}, after an upgrade failed. */
  public TargetState withPointersOf(TargetState before) {
    return new TargetState(
        FORMAT,
        name,
        before.active,
        before.previous,
        lastKnownGood,
        highestInstalled,
        failed,
        source,
        updated);
  }

  /** {@code version} passed its health check: it is the last known good, and no longer failed. */
  public TargetState withHealthy(Version version) {
    List<String> stillFailed = new ArrayList<>(failed);
    stillFailed.remove(version.toString());
    return new TargetState(
        FORMAT,
        name,
        active,
        previous,
        version.toString(),
        highestInstalled,
        stillFailed,
        source,
        updated);
  }

  /** {@code version} failed its health check after an upgrade. */
  public TargetState withFailed(Version version) {
    List<String> all = new ArrayList<>(failed);
    if (!all.contains(version.toString())) {
      all.add(version.toString());
    }
    return new TargetState(
        FORMAT, name, active, previous, lastKnownGood, highestInstalled, all, source, updated);
  }

  public TargetState withSource(String value) {
    return new TargetState(
        FORMAT, name, active, previous, lastKnownGood, highestInstalled, failed, value, updated);
  }

  /** Forgets pointers to a deployment that was removed. */
  public TargetState without(Version version) {
    String v = version.toString();
    return new TargetState(
        FORMAT,
        name,
        v.equals(active) ? null : active,
        v.equals(previous) ? null : previous,
        v.equals(lastKnownGood) ? null : lastKnownGood,
        highestInstalled,
        failed,
        source,
        updated);
  }

  /** Equal in everything but the time of the last write. */
  public boolean sameAs(TargetState other) {
    return other != null && stamped(null).equals(other.stamped(null));
  }

  TargetState stamped(Instant time) {
    return new TargetState(
        FORMAT, name, active, previous, lastKnownGood, highestInstalled, failed, source, time);
  }

  private static String track(Version version) {
    return version.isNightly() ? NIGHTLY : TAGGED;
  }

  private static Optional<Version> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Version.parse(text));
    } catch (BadInputException e) {
      return Optional.empty();
    }
  }
}
