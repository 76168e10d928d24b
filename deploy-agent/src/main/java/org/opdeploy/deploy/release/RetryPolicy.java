package org.opdeploy.deploy.release;

import java.time.Duration;

/**
 * How often a download is tried before giving up, and how long to wait before the first retry
 * (doubling each time). Every retry continues after the bytes already on disk.
 */
public record RetryPolicy(int attempts, Duration firstDelay) {
  public static final RetryPolicy DEFAULT = new RetryPolicy(4, Duration.ofSeconds(1));

  public RetryPolicy {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1");
    }
  }

  /** The wait before retry number {@code retry} (1-based). */
  public Duration delayBefore(int retry) {
    return firstDelay.multipliedBy(1L << Math.min(retry - 1, 10));
  }
}
