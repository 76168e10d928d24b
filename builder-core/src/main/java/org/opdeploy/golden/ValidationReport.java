package org.opdeploy.golden;

import java.nio.file.Path;
import java.util.List;
import org.opdeploy.error.BadInputException;
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

  /** One check. {@code kind} is {@code file}, {@code command}, {@code service} or {@code user}. */
  public record Check(String kind, String subject, boolean passed, String detail) {}

  public boolean passed() {
    return checks.stream().allMatch(Check::passed);
  }

  public List<Check> failures() {
    return checks.stream().filter(c -> !c.passed()).toList();
  }

  /**
   * Throws naming the failed checks unless every check passed: exit 2 when the spec names a user
   * the golden does not have (the spec is wrong), else exit 1.
   */
  public void requirePassed() throws OpdeployException {
    List<Check> failed = failures();
    if (!failed.isEmpty()) {
      StringBuilder what = new StringBuilder();
      for (Check c : failed) {
        what.append(what.length() == 0 ? "" : "; ")
            .append(c.kind())
            .append(' ')
            .append(c.subject())
            .append(" (")
            .append(c.detail())
            .append(')');
      }
      String message =
          "golden "
              + golden
              + " failed "
              + failed.size()
              + " of "
              + checks.size()
              + " checks: "
              + what
              + "; fix the spec or its steps and refresh again";
      if (failed.stream().anyMatch(c -> c.kind().equals("user"))) {
        throw new BadInputException(message);
      }
      throw new OpdeployException(message);
    }
  }
}
