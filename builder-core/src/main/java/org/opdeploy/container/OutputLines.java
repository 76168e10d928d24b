package org.opdeploy.container;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Reads a program's output line by line, hands each line on as it arrives (so a long apt run is
 * visible in CI logs while it happens) and keeps the last lines for the error message.
 */
public final class OutputLines {
  static final int TAIL_LINES = 40;
  private static final int MAX_LINE = 4096;

  private final Consumer<String> sink;
  private final Predicate<String> keep;
  private final Deque<String> tail = new ArrayDeque<>();

  public OutputLines(Consumer<String> sink) {
    this(sink, line -> true);
  }

  /** Lines {@code keep} rejects are dropped: neither handed on nor kept. */
  public OutputLines(Consumer<String> sink, Predicate<String> keep) {
    this.sink = sink;
    this.keep = keep;
  }

  public void read(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      for (int i = 0; i < n; i++) {
        byte b = buffer[i];
        if (b == '\n') {
          emit(line);
        } else if (line.size() < MAX_LINE) {
          line.write(b);
        }
      }
    }
    if (line.size() > 0) {
      emit(line);
    }
  }

  private void emit(ByteArrayOutputStream line) {
    String text = line.toString(StandardCharsets.UTF_8).replace("\r", "");
    line.reset();
    if (!keep.test(text)) {
      return;
    }
    synchronized (tail) {
      tail.addLast(text);
      if (tail.size() > TAIL_LINES) {
        tail.removeFirst();
      }
    }
    sink.accept(text);
  }

  public String tail() {
    synchronized (tail) {
      return String.join("\n", tail);
    }
  }
}
