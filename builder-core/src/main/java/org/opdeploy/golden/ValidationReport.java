package org.opdeploy.golden;

import java.nio.file.Path;
import java.util.List;
import org.opdeploy.error.OpdeployException;

/**
 * The outcome of {@code golden validate}: every check with its result, in the spec's order.
 *
 * @param golden the golden subvolume that was checked
 * @param checks each check, passed or not
 */
public record ValidationReport(Path golden, List<Check> checks) {

  public ValidationReport {
    checks = List.copyOf(checks);
  }

  /** One check. {@code kind} is {@code file}, {@code command} or {@code service}. */
  public record Check(String kind, String subject, boolean passed, String detail) {}

  public boolean passed() {
    return checks.stream().allMatch(Check::passed);
  }

  public List<Check> failures() {
    return checks.stream().filter(c -> !c.passed()).toList();
  }

  /** Throws (exit 1) naming the failed checks unless every check passed. */
  public void requirePassed() throws OpdeployException {
    List<Check> failed = failures();
    if (!failed.isEmpty()) {
      StringBuilder what = new StringBuilder();
      for (Check c : failed) {
        what.append(what.length() == 0 ? "" : "; ").append(c.kind()).append(' ').append(c.subject())
            .append(" (").append(c.detail()).append(')');
      }
      throw new OpdeployException("golden " + golden + " failed " + failed.size() + " of " + checks.size()
          + " checks: " + what + "; fix the spec or its steps and refresh again");
    }
  }
}
