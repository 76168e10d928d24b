package org.opdeploy.http;

import java.time.Clock;
import java.time.Duration;

/**
 * How hard to retry transient HTTP failures: at most {@code maxAttempts} tries, exponential backoff
 * from {@code initialDelay} up to {@code maxDelay} with jitter, and never past {@code maxTotal}
 * since the first try. {@code sleeper} and {@code clock} are injectable so tests can run a day of
 * backoff in a millisecond.
 */
public record RetryPolicy(
    int maxAttempts,
    Duration initialDelay,
    Duration maxDelay,
    Duration maxTotal,
    Sleeper sleeper,
    Clock clock) {

  /** Waits between attempts. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    Sleeper REAL = duration -> Thread.sleep(duration.toMillis());
  }

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  /** Six tries, 1 s doubling to 60 s, at most 15 minutes in all. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(
        6,
        Duration.ofSeconds(1),
        Duration.ofSeconds(60),
        Duration.ofMinutes(15),
        Sleeper.REAL,
        Clock.systemUTC());
  }

  public RetryPolicy withMaxAttempts(int attempts) {
    return new RetryPolicy(attempts, initialDelay, maxDelay, maxTotal, sleeper, clock);
  }

  public RetryPolicy withMaxTotal(Duration total) {
    return new RetryPolicy(maxAttempts, initialDelay, maxDelay, total, sleeper, clock);
  }

  public RetryPolicy withSleeper(Sleeper newSleeper, Clock newClock) {
    return new RetryPolicy(maxAttempts, initialDelay, maxDelay, maxTotal, newSleeper, newClock);
  }
}
