package org.opdeploy.cli.output;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import org.opdeploy.progress.ProgressEvent;
import org.opdeploy.progress.ProgressListener;

/**
 * Shows progress on stderr: on a terminal, one line redrawn in place and never wider than the
 * terminal (details are dropped, then the task name shortened, to fit); otherwise a plain line
 * every few seconds with exact byte counts (CI logs); nothing under {@code -q}.
 */
public final class ProgressRenderer implements ProgressListener {
  private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;
  private static final long BAR_INTERVAL_NANOS = 100_000_000L;
  private static final int BAR = 24;

  private final PrintStream err;
  private final boolean terminal;
  private final boolean quiet;
  private final IntSupplier width;
  private final Map<String, Long> started = new ConcurrentHashMap<>();
  private final Map<String, Long> lastShown = new ConcurrentHashMap<>();
  private boolean lineOpen;

  /** {@code width}: the terminal's columns, asked before each redraw. */
  public ProgressRenderer(PrintStream err, boolean terminal, boolean quiet, IntSupplier width) {
    this.err = err;
    this.terminal = terminal;
    this.quiet = quiet;
    this.width = width;
  }

  /** On a terminal, its width as JLine (else {@code COLUMNS}, else 80) tells it. */
  public ProgressRenderer(
      PrintStream err, boolean terminal, boolean quiet, Map<String, String> env) {
    this(err, terminal, quiet, new TerminalWidth(env));
  }

  public ProgressRenderer(PrintStream err, boolean terminal, boolean quiet) {
    this(err, terminal, quiet, () -> TerminalWidth.FALLBACK);
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
    boolean changedNote = event.note() != null;
    if (!event.finished() && !changedNote && last != 0 && now - last < interval) {
      return;
    }
    lastShown.put(event.task(), now);
    double seconds = (now - begin) / 1e9;
    if (terminal) {
      // One column short of the width: a line that fills it exactly wraps on many terminals.
      err.print(
          "\r\033[K"
              + render(event, seconds, width.getAsInt() - 1)
              + (event.finished() ? "\n" : ""));
      lineOpen = !event.finished();
    } else if (event.finished() || changedNote || last != 0 || now - begin >= interval) {
      err.println(render(event, seconds));
    }
    if (event.finished()) {
      started.remove(event.task());
      lastShown.remove(event.task());
    }
    err.flush();
  }

  /** The full line, for a log: exact byte counts included, no width limit. */
  static String render(ProgressEvent event, double seconds) {
    return render(event, seconds, Integer.MAX_VALUE);
  }

  /**
   * The line for {@code event}, at most {@code columns} characters: the bar, percentage, sizes,
   * ETA, rate and note as they fit, dropping exact counts, rate, bar and ETA in that order, then
   * shortening the task name.
   */
  static String render(ProgressEvent event, double seconds, int columns) {
    boolean known = event.total() > 0;
    double fraction = known ? Math.min(1.0, (double) event.done() / event.total()) : 0;
    String percent = known ? String.format(Locale.ROOT, "%3.0f%% ", fraction * 100) : "";
    String sizes =
        known
            ? Bytes.format(event.done())
                + " / "
                + (event.estimated() ? "~" : "")
                + Bytes.format(event.total())
            : Bytes.format(event.done());
    String exact =
        known && !event.estimated() ? " (" + event.done() + " of " + event.total() + " bytes)" : "";
    String eta = "";
    if (known
        && !event.finished()
        && event.done() > 0
        && event.done() < event.total()
        && seconds > 0.5) {
      eta = ", ETA " + duration(seconds * (event.total() - event.done()) / event.done());
    }
    String rate = seconds > 0.5 ? ", " + Bytes.format((long) (event.done() / seconds)) + "/s" : "";
    String note = event.note() == null ? "" : ": " + event.note();
    List<String> candidates = new ArrayList<>();
    candidates.add(
        line(event.task(), bar(fraction, known, BAR), percent, sizes, exact, eta, rate, note));
    candidates.add(
        line(event.task(), bar(fraction, known, BAR), percent, sizes, "", eta, rate, note));
    candidates.add(
        line(event.task(), bar(fraction, known, BAR), percent, sizes, "", eta, "", note));
    candidates.add(line(event.task(), bar(fraction, known, 10), percent, sizes, "", eta, "", note));
    candidates.add(line(event.task(), "", percent, sizes, "", eta, "", note));
    candidates.add(line(event.task(), "", percent, sizes, "", "", "", note));
    for (String candidate : candidates) {
      if (candidate.length() <= columns) {
        return candidate;
      }
    }
    // The ETA is worth more than the end of a long task name; below a dozen characters, it is not.
    String withEta = line("", "", percent, sizes, "", eta, "", note);
    String tail =
        columns - withEta.length() - 1 >= 12
            ? withEta
            : line("", "", percent, sizes, "", "", "", note);
    int room = columns - tail.length() - 1;
    String shortTask =
        room > 1 ? event.task().substring(0, Math.min(event.task().length(), room - 1)) + "…" : "";
    String shortened = (shortTask.isEmpty() ? "" : shortTask + " ") + tail;
    return shortened.length() <= columns ? shortened : shortened.substring(0, Math.max(0, columns));
  }

  private static String line(
      String task,
      String bar,
      String percent,
      String sizes,
      String exact,
      String eta,
      String rate,
      String note) {
    return (task.isEmpty() ? "" : task + " ") + bar + percent + sizes + exact + eta + rate + note;
  }

  private static String bar(double fraction, boolean known, int cells) {
    if (!known) {
      return "";
    }
    int filled = (int) Math.round(fraction * cells);
    return "[" + "#".repeat(filled) + " ".repeat(cells - filled) + "] ";
  }

  private static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
  }

  @Override
  public synchronized void stepStarted(String name) {
    if (!quiet) {
      endLine();
      err.println("==> " + name);
    }
  }

  @Override
  public synchronized void info(String line) {
    if (!quiet) {
      endLine();
      err.println("    " + line);
    }
  }

  @Override
  public synchronized void warn(String line) {
    endLine();
    err.println("opdeploy: warning: " + line);
  }

  /** Leaves a bar being redrawn where it stopped and moves to the next line (before an error). */
  public synchronized void breakLine() {
    if (lineOpen) {
      err.println();
      lineOpen = false;
    }
  }

  /** A bar being redrawn is cleared before another line is printed, so that lines never mix. */
  private void endLine() {
    if (lineOpen) {
      err.print("\r\033[K");
      lineOpen = false;
    }
  }
}
