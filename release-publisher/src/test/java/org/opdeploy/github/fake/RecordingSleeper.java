package org.opdeploy.github.fake;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.opdeploy.http.RetryPolicy;

/**
 * A retry sleeper for tests: it records each wait and moves its own clock forward instead of
 * sleeping, so backoff and {@code retry-after} are asserted without waiting.
 */
public final class RecordingSleeper implements RetryPolicy.Sleeper {
  private final List<Duration> waits = new ArrayList<>();
  private volatile Instant now = Instant.now();
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  @Override
  public synchronized void sleep(Duration duration) {
    waits.add(duration);
    now = now.plus(duration);
  }

  public synchronized List<Duration> waits() {
    return List.copyOf(waits);
  }

  public Clock clock() {
    return clock;
  }

  /** The default policy with this sleeper and clock. */
  public RetryPolicy policy() {
    return RetryPolicy.defaults().withSleeper(this, clock);
  }
}
