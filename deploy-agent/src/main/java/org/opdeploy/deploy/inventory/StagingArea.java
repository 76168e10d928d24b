package org.opdeploy.deploy.inventory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.opdeploy.btrfs.Btrfs;
import org.opdeploy.btrfs.SubvolumeInfo;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.io.FileTrees;
import org.opdeploy.progress.ProgressListener;

/**
 * {@code <root>/deploy/.staging/}: the journal of receives in progress. Before {@code btrfs
 * receive} writes {@code deploy/@NAME-V}, a marker {@code .staging/@NAME-V} is written; it is
 * removed only once the received subvolume has been checked. While the marker exists the subvolume
 * is not a deployment: it is never listed, activated or used as a parent.
 *
 * <p>Why a marker and not a folder the subvolume is received into and then renamed out of: a
 * read-only subvolume cannot be moved to another folder (the kernel refuses to rewrite its {@code
 * ..}), and making it writable for the move clears the received uuid that incremental streams are
 * matched on. The subvolume is therefore received in place and promoted by removing its marker,
 * which is just as atomic.
 *
 * <p>A receive that was interrupted (killed, power cut, disk full) leaves a marker and a writable
 * subvolume with no received uuid; {@link #sweep} removes both. Callers hold the target lock.
 */
public final class StagingArea {
  private final Btrfs btrfs;
  private final Path journal;
  private final Path deployments;
  private final ProgressListener progress;

  public StagingArea(Btrfs btrfs, Path journal, ProgressListener progress) {
    this.btrfs = btrfs;
    this.journal = journal;
    this.deployments = journal.getParent();
    this.progress = progress;
  }

  /** The folder {@code btrfs receive} writes into. */
  public Path receiveDirectory() {
    return deployments;
  }

  /** True while {@code subvolumeName} is being received or checked. */
  public static boolean inFlight(Path journal, String subvolumeName) {
    return Files.exists(journal.resolve(subvolumeName));
  }

  /** Records that {@code subvolumeName} (expected uuid {@code uuid}) is about to be received. */
  public void begin(String subvolumeName, String uuid) throws OpdeployException {
    try {
      Files.createDirectories(journal);
      Files.writeString(journal.resolve(subvolumeName), uuid + "\n", StandardCharsets.UTF_8);
      FileTrees.syncDirectory(journal);
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot write " + journal.resolve(subvolumeName) + ": " + e.getMessage(), e);
    }
  }

  /** Promotes {@code subvolumeName}: it is a deployment from now on. */
  public void finish(String subvolumeName) throws OpdeployException {
    try {
      Files.deleteIfExists(journal.resolve(subvolumeName));
      FileTrees.syncDirectory(journal);
    } catch (IOException e) {
      throw new OpdeployException("cannot promote " + subvolumeName + ": " + e.getMessage(), e);
    }
  }

  /**
   * Removes every unfinished receive: interrupted ones, and complete ones an earlier run did not
   * get to check (they are received again rather than trusted).
   */
  public void sweep() throws OpdeployException {
    for (String name : markers()) {
      Path subvolume = deployments.resolve(name);
      if (btrfs.isSubvolume(subvolume)) {
        SubvolumeInfo info = btrfs.show(subvolume);
        boolean complete = info.readOnly() && info.received().isPresent();
        progress.info(
            "removing " + (complete ? "unchecked" : "interrupted") + " receive " + subvolume);
        btrfs.delete(subvolume);
      }
      finish(name);
    }
  }

  /** Removes everything unfinished; used after a failed receive. Never throws. */
  public void clearQuietly() {
    try {
      sweep();
    } catch (OpdeployException e) {
      progress.warn(
          "could not clean up after the receive: " + e.getMessage() + "; the next deploy retries");
    }
  }

  private List<String> markers() throws OpdeployException {
    if (!Files.isDirectory(journal)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(journal)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new OpdeployException("cannot list " + journal + ": " + e.getMessage(), e);
    }
  }
}
