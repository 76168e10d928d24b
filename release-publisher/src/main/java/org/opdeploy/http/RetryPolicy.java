package org.opdeploy.http;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How hard to retry a transient failure: at most {@code maxAttempts} tries, exponential backoff
 * from {@code initialDelay} up to {@code maxDelay} with jitter, and never past {@code maxTotal}
 * since the first try. {@code sleeper} and {@code clock} are injectable so tests can run a day of
 * backoff in a millisecond.
 *
 * <p>The one retry policy of opdeploy. Each source retries in exactly one layer: HTTP sources
 * (GitHub, {@code https://}) inside their requests ({@link Retrier}), so callers try them once;
 * sources that do not retry themselves ({@code dir:}) are retried by the target's downloader with
 * the same type. A dead server is therefore asked {@code maxAttempts} times, never a product.
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

  /** {@code attempts} tries, waits from {@code initialDelay} on; otherwise as {@link #defaults}. */
  public static RetryPolicy of(int attempts, Duration initialDelay) {
    RetryPolicy d = defaults();
    return new RetryPolicy(attempts, initialDelay, d.maxDelay, d.maxTotal, d.sleeper, d.clock);
  }

  /**
   * Exponential backoff with "equal jitter" before try {@code nextNumber} (2 is the first retry).
   */
  public Duration delayBefore(int nextNumber) {
    long initial = initialDelay.toMillis();
    long max = maxDelay.toMillis();
    int shift = Math.min(Math.max(nextNumber - 2, 0), 30);
    long base = Math.min(max, initial << shift);
    long half = base / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(0, half + 1));
  }

  /** Waits before try {@code nextNumber} with the policy's sleeper. */
  public void pauseBefore(int nextNumber) throws InterruptedException {
    sleeper.sleep(delayBefore(nextNumber));
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
