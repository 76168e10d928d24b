package org.opdeploy.http;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.opdeploy.error.OpdeployException;

/**
 * Runs one logical request until it succeeds, fails for good, or the {@link RetryPolicy} runs out.
 * Connection errors and {@link TransientHttpException}s are retried; {@link OpdeployException}s,
 * {@link LocalFileException}s and certificate failures ({@link TlsTrust}, exit 3) are not.
 */
public final class Retrier {
  private final RetryPolicy policy;

  public Retrier(RetryPolicy policy) {
    this.policy = policy;
  }

  /** One try of the request; {@code number} counts from 1, so a retry can check first. */
  @FunctionalInterface
  public interface Attempt<T> {
    T run(int number) throws IOException, OpdeployException;
  }

  public RetryPolicy policy() {
    return policy;
  }

  /** Runs {@code attempt}; {@code what} names it in the error ("upload x.zst to github:o/r"). */
  public <T> T run(String what, Attempt<T> attempt) throws OpdeployException {
    Instant start = policy.clock().instant();
    for (int number = 1; ; number++) {
      IOException failure;
      try {
        return attempt.run(number);
      } catch (LocalFileException e) {
        throw new OpdeployException(what + " failed: " + e.getMessage(), e);
      } catch (IOException e) {
        if (TlsTrust.isTrustFailure(e)) {
          throw TlsTrust.failure(what, e); // no retry can make a certificate trusted
        }
        failure = e;
      }
      String reason = describe(failure);
      if (number >= policy.maxAttempts()) {
        throw new OpdeployException(
            what
                + " failed after "
                + number
                + " attempts (last: "
                + reason
                + "); check the network or the server's status and run again",
            failure);
      }
      Duration delay = delayBefore(number + 1, failure);
      Duration spent = Duration.between(start, policy.clock().instant());
      if (spent.plus(delay).compareTo(policy.maxTotal()) > 0) {
        throw new OpdeployException(
            what
                + " failed after "
                + number
                + " attempts in "
                + spent.toSeconds()
                + " s (last: "
                + reason
                + "; next wait "
                + delay.toSeconds()
                + " s would pass the "
                + policy.maxTotal().toMinutes()
                + " min retry budget); run again later",
            failure);
      }
      try {
        policy.sleeper().sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OpdeployException(what + " was interrupted while waiting to retry", e);
      }
    }
  }

  /** Exponential backoff with "equal jitter"; a server's own wait wins when it gave one. */
  Duration delayBefore(int nextNumber, IOException failure) {
    if (failure instanceof TransientHttpException t && t.retryAfter() != null) {
      long jitterMillis = ThreadLocalRandom.current().nextLong(0, 250);
      return t.retryAfter().plusMillis(jitterMillis);
    }
    return policy.delayBefore(nextNumber);
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    String kind = e instanceof TransientHttpException ? "" : e.getClass().getSimpleName();
    if (message == null || message.isBlank()) {
      return kind;
    }
    return kind.isEmpty() ? message : kind + ": " + message;
  }
}
