package org.opdeploy.cli.output;

import java.io.IOException;
import java.util.Map;
import java.util.function.IntSupplier;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The width of the terminal stderr writes to, asked of JLine on every call so that a resized window
 * is followed. {@code COLUMNS}, then 80, when JLine cannot tell.
 */
final class TerminalWidth implements IntSupplier {
  static final int FALLBACK = 80;

  private final int fallback;
  private Terminal terminal;
  private boolean opened;

  TerminalWidth(Map<String, String> env) {
    int columns;
    try {
      columns = Integer.parseInt(env.getOrDefault("COLUMNS", ""));
    } catch (NumberFormatException e) {
      columns = FALLBACK;
    }
    this.fallback = columns > 0 ? columns : FALLBACK;
  }

  @Override
  public synchronized int getAsInt() {
    if (!opened) {
      opened = true;
      try {
        // No signal handling of JLine's own: Ctrl-C must still stop a run (and run its shutdown
        // hooks).
        terminal =
            TerminalBuilder.builder()
                .system(true)
                .systemOutput(TerminalBuilder.SystemOutput.SysErr)
                .nativeSignals(false)
                .signalHandler(Terminal.SignalHandler.SIG_DFL)
                .dumb(true)
                .build();
      } catch (IOException | RuntimeException e) {
        terminal = null; // no terminal to ask: the fallback width serves
      }
    }
    int width = terminal == null ? 0 : terminal.getWidth();
    return width > 0 ? width : fallback;
  }
}
