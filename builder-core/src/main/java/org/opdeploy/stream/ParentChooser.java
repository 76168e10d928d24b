package org.opdeploy.stream;

import java.util.List;
import java.util.Optional;
import org.opdeploy.error.BadInputException;
import org.opdeploy.snapshot.SnapshotEntry;
import org.opdeploy.version.Version;

/**
 * Picks the snapshot an incremental stream is computed against. {@code auto} takes the newest
 * read-only snapshot whose version precedes the one being sent (none: full stream only); an
 * explicit parent must exist, be read-only and precede it.
 */
public final class ParentChooser {
  private ParentChooser() {}

  public static Optional<SnapshotEntry> choose(
      Version version, ParentSelection selection, List<SnapshotEntry> snapshots)
      throws BadInputException {
    return switch (selection.mode()) {
      case NONE -> Optional.empty();
      case AUTO ->
          snapshots.stream()
              .filter(SnapshotEntry::readOnly)
              .filter(s -> s.version().compareTo(version) < 0)
              .max((a, b) -> a.version().compareTo(b.version()));
      case EXPLICIT -> Optional.of(explicit(version, selection.version(), snapshots));
    };
  }

  private static SnapshotEntry explicit(
      Version version, Version parent, List<SnapshotEntry> snapshots) throws BadInputException {
    SnapshotEntry entry =
        snapshots.stream()
            .filter(s -> s.version().equals(parent))
            .findFirst()
            .orElseThrow(
                () ->
                    new ParentNotFoundException(
                        "parent "
                            + parent
                            + " has no snapshot in"
                            + " the pool: pick one from `opdeploy list`, or use --parent auto or none"));
    if (!entry.readOnly()) {
      throw new ParentNotFoundException(
          "parent "
              + entry.path()
              + " is not read-only, so btrfs"
              + " cannot send against it: pick a snapshot taken by `opdeploy snapshot`");
    }
    if (parent.compareTo(version) >= 0) {
      throw new ParentNotFoundException(
          "parent "
              + parent
              + " does not precede "
              + version
              + ": an incremental applies on top of an older version");
    }
    return entry;
  }
}
