package org.opdeploy.deploy.state;

import java.time.Instant;
import java.util.Optional;
import org.opdeploy.version.Version;

/**
 * What {@code <root>/switch.json} says while a switch is under way: which command switches from
 * which version to which, whether the new version must still pass a health check, and the state
 * before and after. Written durably before anything is touched and removed once the switch is over,
 * so a leftover intent means the run died halfway ({@code RecoverInterruptedSwitchStep}).
 *
 * <p>The commit point is the {@code state.json} write that makes the state equal to {@code after}:
 * until it, the next run undoes the switch; after it, the next run completes it.
 *
 * @param command activate, rollback or upgrade
 * @param from the version active before, or null when none was
 * @param to the version switched to
 * @param healthCheck true for an upgrade: {@code to} counts as switched only once healthy
 * @param before state.json before the switch
 * @param after state.json the switch commits
 */
public record SwitchIntent(
    int format,
    String command,
    Version from,
    Version to,
    boolean healthCheck,
    TargetState before,
    TargetState after,
    Instant started) {
  public static final int FORMAT = 1;

  public static SwitchIntent of(
      String command,
      Version to,
      boolean healthCheck,
      TargetState before,
      TargetState after,
      Instant started) {
    return new SwitchIntent(
        FORMAT, command, before.active(), to, healthCheck, before, after, started);
  }

  public Optional<Version> fromVersion() {
    return before.activeVersion();
  }

  public Version toVersion() {
    return to;
  }

  /** One line for logs and status: {@code upgrade v1.0.0 -> v2.0.0}. */
  public String describe() {
    return command + " " + (from == null ? "(none)" : from) + " -> " + to;
  }
}
