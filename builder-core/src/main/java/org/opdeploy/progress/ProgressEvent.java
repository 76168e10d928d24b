package org.opdeploy.progress;

/**
 * Progress of one long task: {@code done} of {@code total} units (bytes unless the task says
 * otherwise); {@code total} is -1 when unknown.
 */
public record ProgressEvent(String task, long done, long total, boolean finished) {
  public static ProgressEvent of(String task, long done, long total) {
    return new ProgressEvent(task, done, total, false);
  }

  public static ProgressEvent finished(String task, long done) {
    return new ProgressEvent(task, done, done, true);
  }
}
