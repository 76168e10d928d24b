package org.opdeploy.build;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.opdeploy.audit.AuditLog;
import org.opdeploy.audit.AuditedRun;
import org.opdeploy.audit.Operator;
import org.opdeploy.audit.SpaceReserve;
import org.opdeploy.btrfs.Btrfs;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.snapshot.PoolLayout;
import org.opdeploy.snapshot.PrivatePool;
import org.opdeploy.version.Version;

/**
 * How a build command runs on the pool: under {@code <pool>/.opdeploy/lock}, with its start and end
 * in {@code <pool>/.opdeploy/audit.log} naming {@code operator}, and 8 MiB set aside in {@code
 * <pool>/.opdeploy/reserve} so that both lines fit on a full pool.
 */
final class PoolRun {
  private final PoolLayout pool;
  private final Btrfs btrfs;
  private final ProgressListener progress;
  private final Duration lockWait;
  private final Operator operator;

  PoolRun(
      PoolLayout pool,
      Btrfs btrfs,
      ProgressListener progress,
      Duration lockWait,
      Operator operator) {
    this.pool = pool;
    this.btrfs = btrfs;
    this.progress = progress;
    this.lockWait = lockWait;
    this.operator = operator;
  }

  /**
   * Runs a command that changes the pool: checks the pool is on btrfs and that this is root, keeps
   * the pool to its owner, then runs it locked and audited.
   */
  <T> T mutating(
      String command,
      Version version,
      Map<String, String> details,
      AuditedRun.Work<T> work,
      Function<? super T, Map<String, String>> outcome)
      throws OpdeployException {
    require(command);
    PrivatePool.restrict(pool, progress);
    return audited().locked(command, version, details, work, outcome);
  }

  /** Refuses a command without root, then a pool not on btrfs (naming {@code --pool}). */
  PoolLayout require(String command) throws OpdeployException {
    requireRoot(command);
    btrfs.requireBtrfs(pool.pool(), "pool");
    return pool;
  }

  /**
   * Runs a command that leaves the pool alone ({@code publish}) locked and audited when this host
   * has a pool this user can write; otherwise runs it unrecorded and says so.
   */
  <T> T recordedWhenPossible(
      String command,
      Version version,
      Map<String, String> details,
      AuditedRun.Work<T> work,
      Function<? super T, Map<String, String>> outcome)
      throws OpdeployException {
    if (!Files.isDirectory(pool.stateDirectory())) {
      progress.info(
          "no build pool at "
              + pool.pool()
              + ": this "
              + command
              + " is not recorded in an audit log");
      return work.run();
    }
    if (!Files.isWritable(pool.stateDirectory())) {
      progress.warn(
          "cannot write "
              + pool.auditLog()
              + ": this "
              + command
              + " is not recorded in an audit log (run it with sudo to record it)");
      return work.run();
    }
    return audited().locked(command, version, details, work, outcome);
  }

  /**
   * Refuses (exit 2) to start a command that changes subvolumes, mounts or services without root:
   * btrfs-progs would otherwise fail halfway with a bare "Operation not permitted".
   */
  static void requireRoot(String command) throws BadInputException {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new BadInputException(
          "opdeploy "
              + command
              + " needs root (btrfs subvolumes, mounts, services):"
              + " run it with sudo");
    }
  }

  private AuditedRun audited() {
    return new AuditedRun(
        pool.lockFile(),
        new AuditLog(pool.auditLog(), Clock.systemUTC(), operator),
        lockWait,
        new SpaceReserve(pool.reserveFile()),
        progress);
  }
}
