package org.opdeploy.release;

import java.time.LocalDate;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.opdeploy.version.Version;

/**
 * Picks the version {@code release --nightly} builds today: the last nightly of today that was
 * snapshotted but never published (a failed run, resumed), else the next free {@code
 * nightly-YYYYMMDD[.N]} that neither the pool nor the store has used.
 */
public final class NightlyName {
  private NightlyName() {}

  public static Version choose(
      LocalDate today, Collection<Version> inPool, Collection<Version> published) {
    Set<Version> poolToday = today(today, inPool);
    Set<Version> publishedToday = today(today, published);
    Optional<Version> unfinished =
        poolToday.stream().max(Version::compareTo).filter(v -> !publishedToday.contains(v));
    if (unfinished.isPresent()) {
      return unfinished.get();
    }
    Set<Version> used = new TreeSet<>(poolToday);
    used.addAll(publishedToday);
    int next =
        used.isEmpty() ? 0 : used.stream().mapToInt(Version::nightlySerial).max().getAsInt() + 1;
    return Version.nightly(today, next);
  }

  private static Set<Version> today(LocalDate today, Collection<Version> versions) {
    Set<Version> result = new TreeSet<>();
    for (Version v : versions) {
      if (v.isNightly() && v.nightlyDate().equals(today)) {
        result.add(v);
      }
    }
    return result;
  }
}
