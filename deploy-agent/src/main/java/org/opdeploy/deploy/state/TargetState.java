package org.opdeploy.deploy.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.opdeploy.version.Version;

/**
 * What {@code <root>/state.json} remembers: the payload name, the active, previous and
 * last-known-good versions, the highest version ever installed on each track (tagged, nightly) for
 * the downgrade rule, versions whose upgrade failed, and the source last used. Versions are typed;
 * in the file they are their text, as before they were typed.
 */
public record TargetState(
    int format,
    String name,
    Version active,
    Version previous,
    Version lastKnownGood,
    Map<String, Version> highestInstalled,
    List<Version> failed,
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
    return Optional.ofNullable(active);
  }

  public Optional<Version> previousVersion() {
    return Optional.ofNullable(previous);
  }

  public Optional<Version> lastKnownGoodVersion() {
    return Optional.ofNullable(lastKnownGood);
  }

  /** The highest version installed so far on the same track as {@code version}. */
  public Optional<Version> highestOnTrackOf(Version version) {
    return Optional.ofNullable(highestInstalled.get(track(version)));
  }

  /** Records {@code version} as installed (received) under payload {@code payloadName}. */
  public TargetState withInstalled(String payloadName, Version version) {
    Map<String, Version> highest = new TreeMap<>(highestInstalled);
    Optional<Version> current = highestOnTrackOf(version);
    if (current.isEmpty() || version.compareTo(current.get()) > 0) {
      highest.put(track(version), version);
    }
    return new TargetState(
        FORMAT, payloadName, active, previous, lastKnownGood, highest, failed, source, updated);
  }

  /** Makes {@code version} active; the version active until now becomes previous. */
  public TargetState withActivated(Version version) {
    Version before = version.equals(active) ? previous : active;
    return new TargetState(
        FORMAT, name, version, before, lastKnownGood, highestInstalled, failed, source, updated);
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
    List<Version> stillFailed = new ArrayList<>(failed);
    stillFailed.remove(version);
    return new TargetState(
        FORMAT, name, active, previous, version, highestInstalled, stillFailed, source, updated);
  }

  /** {@code version} failed its health check after an upgrade. */
  public TargetState withFailed(Version version) {
    List<Version> all = new ArrayList<>(failed);
    if (!all.contains(version)) {
      all.add(version);
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
    return new TargetState(
        FORMAT,
        name,
        version.equals(active) ? null : active,
        version.equals(previous) ? null : previous,
        version.equals(lastKnownGood) ? null : lastKnownGood,
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
}
