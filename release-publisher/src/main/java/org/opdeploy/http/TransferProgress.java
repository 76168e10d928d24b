package org.opdeploy.http;

import org.opdeploy.progress.ProgressEvent;
import org.opdeploy.progress.ProgressListener;

/** Turns byte counts into {@link ProgressEvent}s, at most one per few MiB so renderers keep up. */
final class TransferProgress {
  private static final long STEP = 4L << 20;
  private final ProgressListener listener;
  private final String task;
  private final long total;
  private long done;
  private long reported = -1;

  TransferProgress(ProgressListener listener, String task, long start, long total) {
    this.listener = listener;
    this.task = task;
    this.total = total;
    this.done = start;
  }

  void add(long bytes) {
    done += bytes;
    if (reported < 0 || done - reported >= STEP) {
      reported = done;
      listener.progress(ProgressEvent.of(task, done, total));
    }
  }

  void finished() {
    listener.progress(ProgressEvent.finished(task, done));
  }
}
