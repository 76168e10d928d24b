package org.opdeploy.golden;

import java.util.List;

/**
 * What {@code golden validate} proves: files that must exist in the golden and commands that must
 * exit 0 when run inside it.
 */
public record GoldenChecks(List<String> files, List<String> commands) {
  public GoldenChecks {
    files = List.copyOf(files);
    commands = List.copyOf(commands);
  }

  public static GoldenChecks none() {
    return new GoldenChecks(List.of(), List.of());
  }
}
