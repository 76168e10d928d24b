package org.opdeploy.audit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.lock.RunLock;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/**
 * Runs one mutating command the way every one must run, on the build pool and on a target alike:
 * holding the run lock for its whole length, with one audit line when it starts ({@code started})
 * and one when it ends ({@code ok}, or {@code failed} with the exit code and the reason). A run
 * killed halfway thus still leaves its start line.
 *
 * <p>With a {@link SpaceReserve}, the reserve is given back first when the filesystem is full, so
 * that both lines (and whatever small state the command writes) still fit; it is set aside again at
 * the end once there is room. While it is gone, a smaller one ({@link SpaceReserve#endEntry()})
 * holds space for the end line against work that fills the disk.
 */
public final class AuditedRun {
  public static final String STARTED = "started";
  public static final String OK = "ok";
  public static final String FAILED = "failed";

  private final Path lockFile;
  private final AuditLog audit;
  private final Duration lockWait;
  private final SpaceReserve reserve;
  private final ProgressListener progress;

  public AuditedRun(Path lockFile, AuditLog audit, Duration lockWait) {
    this(lockFile, audit, lockWait, null, ProgressListener.NONE);
  }

  /** {@code reserve} may be null (no space set aside); {@code progress} gets the warnings. */
  public AuditedRun(
      Path lockFile,
      AuditLog audit,
      Duration lockWait,
      SpaceReserve reserve,
      ProgressListener progress) {
    this.lockFile = lockFile;
    this.audit = audit;
    this.lockWait = lockWait;
    this.reserve = reserve;
    this.progress = progress;
  }

  /** The work of one command. */
  @FunctionalInterface
  public interface Work<T> {
    T run() throws OpdeployException;
  }

  /** Runs {@code work} under the lock and audits its start and end; {@code version} may be null. */
  public <T> T locked(String command, Version version, Work<T> work) throws OpdeployException {
    return locked(command, version, Map.of(), work, result -> Map.of());
  }

  /**
   * As {@link #locked(String, Version, Work)}, with what the command is about in every entry
   * ({@code details}: source, destination, the version it starts from) and what it did in the
   * {@code ok} entry ({@code outcome} of its result: stream kind, bytes, the version it ended on).
   */
  public <T> T locked(
      String command,
      Version version,
      Map<String, String> details,
      Work<T> work,
      Function<? super T, Map<String, String>> outcome)
      throws OpdeployException {
    try (RunLock lock = RunLock.acquire(lockFile, command, lockWait)) {
      makeRoom();
      Map<String, String> endDetails = new HashMap<>(details);
      try {
        Map<String, String> startDetails = new HashMap<>(details);
        startDetails.put("pid", Long.toString(ProcessHandle.current().pid()));
        audit.append(command, version, STARTED, startDetails);
      } catch (OpdeployException e) {
        // The command still runs: on a disk too full even for this line it is the way out
        // (target prune, rollback). The end line says the start could not be recorded.
        progress.warn(e.getMessage() + "; running " + command + " without its start entry");
        endDetails.put("start_unrecorded", String.valueOf(e.getMessage()));
      }
      SpaceReserve endEntry = holdBackEndEntry();
      T result;
      try {
        result = work.run();
      } catch (OpdeployException | RuntimeException e) {
        releaseEndEntry(endEntry);
        String code =
            e instanceof OpdeployException o ? Integer.toString(o.exitCode().code()) : "1";
        endDetails.put("exit", code);
        endDetails.put("error", String.valueOf(e.getMessage()));
        makeRoom(); // the command may have failed because it filled the disk
        try {
          audit.append(command, version, FAILED, endDetails);
        } catch (OpdeployException auditFailure) {
          // The command's own failure is what the user must see (a full disk fails both).
          e.addSuppressed(auditFailure);
        }
        restoreReserve();
        throw e;
      }
      releaseEndEntry(endEntry);
      endDetails.putAll(outcome.apply(result));
      audit.append(command, version, OK, endDetails);
      restoreReserve();
      return result;
    }
  }

  /** Gives the reserve back when the filesystem is (nearly) full, so that the next writes fit. */
  private void makeRoom() {
    if (reserve != null && reserve.releaseIfLow() > 0) {
      progress.warn(
          "the filesystem of "
              + reserve.file().getParent()
              + " is full: gave back the "
              + (reserve.bytes() >> 20)
              + " MiB set aside in "
              + reserve.file()
              + " so that this run can record itself");
    }
  }

  /**
   * Without the main reserve to give back at the end (gone, or given back just now), holds back a
   * little of what is free for the end entry: the work may fill the disk to the last byte. With it,
   * removes an end-entry reserve a killed run left.
   */
  private SpaceReserve holdBackEndEntry() {
    if (reserve == null) {
      return null;
    }
    SpaceReserve endEntry = reserve.endEntry();
    if (reserve.present()) {
      endEntry.release();
    } else {
      endEntry.restore();
    }
    return endEntry;
  }

  private static void releaseEndEntry(SpaceReserve endEntry) {
    if (endEntry != null) {
      endEntry.release();
    }
  }

  private void restoreReserve() {
    if (reserve != null) {
      reserve.restore();
    }
  }
}
