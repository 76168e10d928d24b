package org.opdeploy.http;

import java.io.IOException;
import java.time.Duration;

/**
 * A response worth retrying (5xx, 429, a rate limit): {@code retryAfter} is how long the server
 * asked us to wait, or null when it did not say.
 */
public class TransientHttpException extends IOException {
  private final transient Duration retryAfter;

  public TransientHttpException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
