package org.opdeploy.progress;

/**
 * Progress of one long task: {@code done} of {@code total} units (bytes unless the task says
 * otherwise); {@code total} is -1 when unknown.
 *
 * @param estimated whether {@code total} is a guess (a send's size from the parent's last stream)
 * @param note what the task is doing or waiting for now, or null
 */
public record ProgressEvent(
    String task, long done, long total, boolean finished, boolean estimated, String note) {
  public ProgressEvent(String task, long done, long total, boolean finished) {
    this(task, done, total, finished, false, null);
  }

  /**
   * {@code done} of about {@code estimate} (unknown when negative); never shown past 99% before it
   * finishes.
   */
  public static ProgressEvent estimated(String task, long done, long estimate) {
    return estimate <= 0
        ? of(task, done, -1)
        : new ProgressEvent(
            task, done, Math.max(estimate, done + done / 100 + 1), false, true, null);
  }

  /** All {@code done} bytes are handed over; the task now waits for {@code what}. */
  public static ProgressEvent waiting(String task, long done, String what) {
    return new ProgressEvent(task, done, done, false, false, what);
  }

  public static ProgressEvent of(String task, long done, long total) {
    return new ProgressEvent(task, done, total, false);
  }

  public static ProgressEvent finished(String task, long done) {
    return new ProgressEvent(task, done, done, true);
  }
}
