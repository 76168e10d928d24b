package org.opdeploy.deploy.receive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.opdeploy.btrfs.Btrfs;
import org.opdeploy.btrfs.SubvolumeInfo;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;

/**
 * {@code <root>/deploy/.staging/}: where {@code btrfs receive} writes, never activated from. A
 * receive that was interrupted (killed, power cut, disk full) leaves a read-write subvolume with
 * no received uuid here; {@link #sweep} removes such leftovers. Callers hold the target lock, so
 * nothing else is receiving.
 */
public final class StagingArea {
  private final Btrfs btrfs;
  private final Path directory;
  private final ProgressListener progress;

  public StagingArea(Btrfs btrfs, Path directory, ProgressListener progress) {
    this.btrfs = btrfs;
    this.directory = directory;
    this.progress = progress;
  }

  public Path directory() {
    return directory;
  }

  /** Creates the staging folder when missing. */
  public void create() throws OpdeployException {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new OpdeployException("cannot create " + directory + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes every subvolume in staging except a complete one (read-only, with received uuid
   * {@code keepReceivedUuid}), which an earlier run received but did not get to promote. Returns
   * that one if present.
   */
  public Optional<SubvolumeInfo> sweep(String keepReceivedUuid) throws OpdeployException {
    Optional<SubvolumeInfo> kept = Optional.empty();
    for (SubvolumeInfo subvolume : subvolumes()) {
      boolean complete = subvolume.readOnly() && subvolume.received().isPresent();
      if (complete && kept.isEmpty() && subvolume.receivedUuid().equals(keepReceivedUuid)) {
        kept = Optional.of(subvolume);
        continue;
      }
      progress.info("removing " + (complete ? "unused" : "interrupted") + " receive " + subvolume.path());
      btrfs.delete(subvolume.path());
    }
    return kept;
  }

  /** Deletes everything left in staging; used after a failed receive. Never throws. */
  public void clearQuietly() {
    try {
      sweep(null);
    } catch (OpdeployException e) {
      progress.warn("could not clean " + directory + ": " + e.getMessage() + "; the next deploy retries");
    }
  }

  /** The subvolumes in staging now. */
  public List<SubvolumeInfo> subvolumes() throws OpdeployException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    return btrfs.list(directory);
  }
}
