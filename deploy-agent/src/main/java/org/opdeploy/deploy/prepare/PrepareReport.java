package org.opdeploy.deploy.prepare;

import java.util.List;
import java.util.stream.Collectors;
import org.opdeploy.error.OpdeployException;

/** Every check of {@code target prepare}, in the order run. */
public record PrepareReport(List<PrepareCheck> checks) {
  public PrepareReport {
    checks = List.copyOf(checks);
  }

  public boolean ready() {
    return checks.stream().allMatch(PrepareCheck::ok);
  }

  /** Throws (exit 1) naming every failed check when the target is not ready. */
  public void requireReady() throws OpdeployException {
    if (!ready()) {
      throw new OpdeployException(
          "target not ready: "
              + checks.stream()
                  .filter(c -> !c.ok())
                  .map(c -> c.name() + " (" + c.detail() + ")")
                  .collect(Collectors.joining("; ")));
    }
  }
}
