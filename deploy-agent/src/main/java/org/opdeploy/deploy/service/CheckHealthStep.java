package org.opdeploy.deploy.service;

import java.nio.file.Path;
import java.time.Duration;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.process.ProcessFailedException;
import org.opdeploy.process.ProcessResult;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;
import org.opdeploy.version.Version;

/**
 * Decides whether a freshly activated version is healthy: its manifest's health command exits 0 and
 * its unit is active, both within the manifest's timeout. Both are retried about once a second
 * until the deadline, because a service restarted a moment ago may still be starting.
 *
 * <p>The service manager decides where the command runs ({@link ServiceManager#healthCheck}): with
 * systemd, confined like the service itself (inside the deployment's root, as its user, with its
 * capabilities and binds); with {@code service: none}, on the host with the deployment's copy of
 * the program. It gets {@code OPDEPLOY_VERSION} and {@code OPDEPLOY_DEPLOYMENT} in its environment.
 */
public final class CheckHealthStep {
  static final long DEFAULT_TIMEOUT_SECONDS = 30;
  private static final Duration PAUSE = Duration.ofSeconds(1);

  private final ProcessRunner runner;
  private final ServiceManager services;

  public CheckHealthStep(ProcessRunner runner, ServiceManager services) {
    this.runner = runner;
    this.services = services;
  }

  /**
   * Checks {@code version}, mounted read-only at {@code mount}. Never throws for an unhealthy
   * version.
   */
  public HealthReport run(Manifest manifest, Version version, Path mount) throws OpdeployException {
    Manifest.Health health = manifest.health();
    String command =
        health == null || health.command() == null || health.command().isBlank()
            ? null
            : health.command().strip();
    long seconds =
        health == null || health.timeoutSeconds() <= 0
            ? DEFAULT_TIMEOUT_SECONDS
            : health.timeoutSeconds();
    long start = System.nanoTime();
    long deadline = start + Duration.ofSeconds(seconds).toNanos();
    String detail = "";
    for (int attempt = 1; ; attempt++) {
      detail = probe(manifest, command, version, mount, deadline);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      if (detail == null) {
        return new HealthReport(true, attempt, took, "healthy");
      }
      if (System.nanoTime() + PAUSE.toNanos() >= deadline) {
        return new HealthReport(false, attempt, took, detail);
      }
      sleep();
    }
  }

  /** Null when healthy, else why not. */
  private String probe(
      Manifest manifest, String command, Version version, Path mount, long deadline)
      throws OpdeployException {
    String unit = manifest.service();
    if (command != null) {
      Duration left =
          Duration.ofNanos(
              Math.max(deadline - System.nanoTime(), Duration.ofMillis(100).toNanos()));
      ProcessSpec spec = services.healthCheck(manifest, command, version, mount, left);
      try {
        ProcessResult result = runner.runAllowingFailure(spec);
        if (result.exitCode() != 0) {
          return "`" + command + "` exited " + result.exitCode() + tail(result.stdout());
        }
      } catch (ProcessFailedException e) {
        return "`" + command + "` " + e.getMessage();
      }
    }
    if (unit != null && !services.isActive(unit)) {
      return unit + " is not active";
    }
    return null;
  }

  /** Runs the deployment's copy of an absolute program path when it ships one. */
  static String resolve(String command, Path mount) {
    return ServiceManager.shippedCopy(command, mount);
  }

  private static String tail(String output) {
    String[] lines = output.strip().split("\n");
    String last = lines[lines.length - 1].strip();
    return last.isEmpty() ? "" : ": " + last;
  }

  private static void sleep() throws OpdeployException {
    try {
      Thread.sleep(PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OpdeployException("interrupted during the health check", e);
    }
  }
}
