package org.opdeploy.cli.output;

import org.opdeploy.progress.ProgressEvent;

/** Draws a long send bar and a receive bar on this process's terminal, as a run would. */
public final class ProgressTerminalMain {
  private ProgressTerminalMain() {}

  public static void main(String[] args) throws InterruptedException {
    ProgressRenderer renderer = new ProgressRenderer(System.err, true, false, System.getenv());
    String task = "incremental stream of v2026.12.01-nightly.3 from v2026.11.30-nightly.2";
    long total = 123L * 1024 * 1024 * 1024;
    for (int i = 1; i <= 4; i++) {
      renderer.progress(ProgressEvent.estimated(task, total / 4 * i - 1, total));
      Thread.sleep(300);
    }
    renderer.progress(ProgressEvent.finished(task, total));
    renderer.progress(ProgressEvent.of("receive v1.2.0", total / 2, total));
    Thread.sleep(200);
    renderer.progress(
        ProgressEvent.waiting(
            "receive v1.2.0", total, "waiting for the deployment to sync to disk"));
    renderer.progress(ProgressEvent.finished("receive v1.2.0", total));
  }
}
