package org.opdeploy.cli.output;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.opdeploy.progress.ProgressEvent;
import org.opdeploy.progress.ProgressListener;

/**
 * Shows progress on stderr: a redrawn bar with exact byte totals and ETA on a terminal, a plain
 * line every few seconds otherwise (CI logs), nothing under {@code -q}.
 */
public final class ProgressRenderer implements ProgressListener {
  private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;
  private static final long BAR_INTERVAL_NANOS = 100_000_000L;

  private final PrintStream err;
  private final boolean terminal;
  private final boolean quiet;
  private final Map<String, Long> started = new ConcurrentHashMap<>();
  private final Map<String, Long> lastShown = new ConcurrentHashMap<>();

  public ProgressRenderer(PrintStream err, boolean terminal, boolean quiet) {
    this.err = err;
    this.terminal = terminal;
    this.quiet = quiet;
  }

  @Override
  public synchronized void progress(ProgressEvent event) {
    if (quiet) {
      return;
    }
    long now = System.nanoTime();
    long begin = started.computeIfAbsent(event.task(), t -> now);
    long last = lastShown.getOrDefault(event.task(), 0L);
    long interval = terminal ? BAR_INTERVAL_NANOS : PLAIN_INTERVAL_NANOS;
    if (!event.finished() && last != 0 && now - last < interval) {
      return;
    }
    lastShown.put(event.task(), now);
    String text = render(event, (now - begin) / 1e9);
    if (terminal) {
      err.print("\r\033[K" + text + (event.finished() ? "\n" : ""));
    } else if (event.finished() || last != 0 || now - begin >= interval) {
      err.println(text);
    }
    if (event.finished()) {
      started.remove(event.task());
      lastShown.remove(event.task());
    }
    err.flush();
  }

  static String render(ProgressEvent event, double seconds) {
    StringBuilder line = new StringBuilder(event.task()).append(' ');
    if (event.total() > 0) {
      double fraction = Math.min(1.0, (double) event.done() / event.total());
      int filled = (int) Math.round(fraction * 24);
      line.append('[').append("#".repeat(filled)).append(" ".repeat(24 - filled)).append("] ")
          .append(String.format(Locale.ROOT, "%3.0f%% ", fraction * 100))
          .append(Bytes.format(event.done())).append(" / ").append(Bytes.format(event.total()))
          .append(" (").append(event.done()).append(" of ").append(event.total()).append(" bytes)");
      if (!event.finished() && event.done() > 0 && seconds > 0.5) {
        double eta = seconds * (event.total() - event.done()) / event.done();
        line.append(String.format(Locale.ROOT, ", ETA %.0fs", eta));
      }
    } else {
      line.append(Bytes.format(event.done()));
    }
    if (seconds > 0.5) {
      line.append(String.format(Locale.ROOT, ", %s/s", Bytes.format((long) (event.done() / seconds))));
    }
    return line.toString();
  }

  @Override
  public void stepStarted(String name) {
    if (!quiet) {
      err.println("==> " + name);
    }
  }

  @Override
  public void info(String line) {
    if (!quiet) {
      err.println("    " + line);
    }
  }

  @Override
  public void warn(String line) {
    err.println("opdeploy: warning: " + line);
  }
}
