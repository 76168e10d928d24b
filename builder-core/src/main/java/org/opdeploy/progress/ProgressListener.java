package org.opdeploy.progress;

/**
 * Receives progress events and the one-line notes of a pipeline. Implementations must be
 * thread-safe: uploads and sends report from several threads.
 */
public interface ProgressListener {
  ProgressListener NONE = new ProgressListener() {};

  /** Bytes (or units) done on a long task. */
  default void progress(ProgressEvent event) {}

  /** A step started; {@code name} is the human name shown in logs and CI groups. */
  default void stepStarted(String name) {}

  /** A step finished. */
  default void stepFinished(String name) {}

  /** One informational line. */
  default void info(String line) {}

  /** One warning line. */
  default void warn(String line) {}
}
