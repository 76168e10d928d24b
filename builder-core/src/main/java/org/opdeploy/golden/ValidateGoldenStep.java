package org.opdeploy.golden;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opdeploy.container.Container;
import org.opdeploy.container.ContainerResult;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.snapshot.PoolLayout;

/**
 * {@code opdeploy golden validate}: proves the golden holds what the spec's {@code checks} demand
 * before a snapshot is taken. Every check runs, so one report shows everything that is wrong; the
 * report decides the exit code ({@link ValidationReport#requirePassed()}).
 */
public final class ValidateGoldenStep {
  /** A check command is a quick probe; one that hangs should not hold a release for an hour. */
  static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);

  private static final List<String> UNIT_DIRS =
      List.of("/etc/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system");

  private final GoldenSpec spec;
  private final PoolLayout pool;
  private final Container container;
  private final ProgressListener listener;

  public ValidateGoldenStep(
      GoldenSpec spec, PoolLayout pool, Container container, ProgressListener listener) {
    this.spec = spec;
    this.pool = pool;
    this.container = container;
    this.listener = listener;
  }

  /** Runs every check; throws only when the golden cannot be checked at all. */
  public ValidationReport run() throws OpdeployException {
    Path golden = pool.golden();
    if (!Files.isDirectory(golden, LinkOption.NOFOLLOW_LINKS)) {
      throw new OpdeployException(
          "golden " + golden + " does not exist: run `opdeploy golden refresh` first");
    }
    List<ValidationReport.Check> checks = new ArrayList<>();
    for (String file : spec.checks().files()) {
      boolean present = Files.exists(RootedPath.resolve(golden, file, false));
      checks.add(
          report(
              new ValidationReport.Check("file", file, present, present ? "present" : "missing")));
    }
    if (spec.service() != null) {
      checks.add(report(serviceCheck(golden, spec.service())));
    }
    if (spec.serviceAccount() != null && spec.serviceAccount().user() != null) {
      checks.add(report(userCheck(golden, spec.serviceAccount().user())));
    }
    Duration timeout =
        spec.stepTimeout().compareTo(COMMAND_TIMEOUT) < 0 ? spec.stepTimeout() : COMMAND_TIMEOUT;
    for (String command : spec.checks().commands()) {
      ContainerResult result =
          container.run(golden, List.of("/bin/sh", "-c", command), Map.of(), timeout, line -> {});
      String detail =
          result.timedOut()
              ? "killed after " + DurationText.format(timeout)
              : "exit " + result.exitCode() + summary(result.outputTail(), result.exitCode() == 0);
      checks.add(
          report(new ValidationReport.Check("command", command, result.succeeded(), detail)));
    }
    return new ValidationReport(golden, checks);
  }

  private static ValidationReport.Check serviceCheck(Path golden, String unit)
      throws OpdeployException {
    for (String dir : UNIT_DIRS) {
      if (Files.isRegularFile(RootedPath.resolve(golden, dir + "/" + unit, false))) {
        return new ValidationReport.Check("service", unit, true, "unit in " + dir);
      }
    }
    return new ValidationReport.Check(
        "service", unit, false, "no unit file in " + String.join(", ", UNIT_DIRS));
  }

  /** The service user must be the golden's own, so files it owns there belong to it on targets. */
  private static ValidationReport.Check userCheck(Path golden, String user)
      throws OpdeployException {
    Path passwd = RootedPath.resolve(golden, "/etc/passwd", false);
    try {
      boolean known =
          Files.isRegularFile(passwd)
              && Files.readAllLines(passwd).stream().anyMatch(line -> line.startsWith(user + ":"));
      return new ValidationReport.Check(
          "user",
          user,
          known,
          known
              ? "in /etc/passwd"
              : "unknown user: no entry in the golden's /etc/passwd (create it in a step)");
    } catch (java.io.IOException e) {
      throw new OpdeployException("cannot read " + passwd + ": " + e.getMessage(), e);
    }
  }

  private ValidationReport.Check report(ValidationReport.Check check) {
    String line =
        (check.passed() ? "pass  " : "FAIL  ")
            + check.kind()
            + " "
            + check.subject()
            + ": "
            + check.detail();
    if (check.passed()) {
      listener.info(line);
    } else {
      listener.warn(line);
    }
    return check;
  }

  /** What the command said: its first line when it passed (a version), its last when it failed. */
  private static String summary(String output, boolean passed) {
    String[] lines = output.strip().split("\n");
    String last = lines[passed ? 0 : lines.length - 1].strip();
    return last.isEmpty() ? "" : ": " + (last.length() > 200 ? last.substring(0, 200) + "…" : last);
  }
}
