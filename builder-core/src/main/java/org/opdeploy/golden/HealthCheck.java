package org.opdeploy.golden;

import java.time.Duration;

/** The command a target runs after activation to decide whether the new version is healthy. */
public record HealthCheck(String command, Duration timeout) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
}
