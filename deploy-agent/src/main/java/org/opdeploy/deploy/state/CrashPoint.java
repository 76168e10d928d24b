package org.opdeploy.deploy.state;

/**
 * A test hook for the crash tests: with {@code OPDEPLOY_TEST_CRASH_AT=<point>} in its environment,
 * the process dies when it reaches that named point, the way {@code kill -9} of its process group
 * would: its child processes are killed, then the JVM halts with no shutdown hook, no finally block
 * and no cleanup. Unset (always, outside tests) it does nothing.
 *
 * <p>The points, in the order a switch reaches them ({@code PHASE} is {@code switch} for activate,
 * rollback and upgrade, {@code revert} when a failed upgrade switches back, {@code recover} when
 * the next run repairs an interrupted switch): {@code switch-intent-written}, {@code
 * PHASE-link-renamed}, {@code bind-detached} (the mount point empty), {@code PHASE-bind-mounted},
 * {@code overlay-detached}, {@code PHASE-overlay-mounted}, {@code switch-state-written}, {@code
 * switch-service-restarted}, {@code health-check-started}, {@code upgrade-committed}; and {@code
 * deploy-promoted} (a receive promoted, not yet recorded), {@code prune-marked} and {@code
 * prune-deployment-deleted}.
 */
public final class CrashPoint {
  public static final String VARIABLE = "OPDEPLOY_TEST_CRASH_AT";
  private static final String WANTED = System.getenv(VARIABLE);

  private CrashPoint() {}

  /** Dies here when this is the point the environment names. */
  public static void reached(String point) {
    if (point.equals(WANTED)) {
      ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
      Runtime.getRuntime().halt(137);
    }
  }
}
