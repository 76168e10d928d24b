package org.opdeploy.github.fake;

import java.util.Map;

/**
 * One misbehaviour of the fake, consumed by the next request to its {@link Route}. Built with the
 * factories: plain statuses with headers, GitHub's rate limits, and the upload and download
 * failures that leave state behind.
 */
public record Fault(Kind kind, int status, Map<String, String> headers, String message) {

  /** What the fault does. */
  public enum Kind {
    /** Answer {@code status} with {@code headers} and {@code message}; nothing changes. */
    STATUS,
    /** Upload: take the bytes, leave the asset in state {@code starter}, answer 502. */
    BAD_GATEWAY_LEAVING_STARTER,
    /** Upload: store the asset completely, then answer 502 as if the proxy lost the reply. */
    BAD_GATEWAY_AFTER_STORING,
    /** Upload or download: cut the connection halfway through the body. */
    RESET_MID_BODY,
    /**
     * Create: another publisher creates a draft of the same tag a moment before this request lands.
     */
    COMPETING_RELEASE,
    /**
     * Create: the release is made, then the answer is lost and the client gets {@code status}
     * (5xx).
     */
    CREATED_THEN_FAILED,
    /** Any route: wait {@code status} milliseconds, then answer normally (forces interleavings). */
    DELAY,
    /**
     * Any route: wait until {@code status} requests carrying this kind of fault have arrived (at
     * most 30 s), then answer each normally: they all see the state from before any of them.
     */
    TOGETHER,
    /** Download: ignore {@code Range} and send the whole file with 200. */
    IGNORE_RANGE,
    /** A list answers 200 with an empty page, as a replica lagging behind a write would. */
    STALE_EMPTY_LIST
  }

  public Fault {
    headers = Map.copyOf(headers);
  }

  public static Fault status(int status) {
    return new Fault(Kind.STATUS, status, Map.of(), "Server Error");
  }

  public static Fault status(int status, String message, Map<String, String> headers) {
    return new Fault(Kind.STATUS, status, headers, message);
  }

  /** 429 with {@code retry-after}. */
  public static Fault tooManyRequests(int retryAfterSeconds) {
    return status(
        429, "Too Many Requests", Map.of("retry-after", String.valueOf(retryAfterSeconds)));
  }

  /** GitHub's secondary rate limit: 403 with {@code retry-after} and its usual message. */
  public static Fault secondaryRateLimit(int retryAfterSeconds) {
    return status(
        403,
        "You have exceeded a secondary rate limit. Please wait a few minutes before you"
            + " try again.",
        Map.of("retry-after", String.valueOf(retryAfterSeconds)));
  }

  /** Primary limit used up: 403, {@code x-ratelimit-remaining: 0} and a reset epoch second. */
  public static Fault primaryRateLimit(long resetEpochSecond) {
    return status(
        403,
        "API rate limit exceeded for user.",
        Map.of(
            "x-ratelimit-remaining", "0", "x-ratelimit-reset", String.valueOf(resetEpochSecond)));
  }

  public static Fault badGatewayLeavingStarter() {
    return new Fault(Kind.BAD_GATEWAY_LEAVING_STARTER, 502, Map.of(), "Bad Gateway");
  }

  public static Fault badGatewayAfterStoring() {
    return new Fault(Kind.BAD_GATEWAY_AFTER_STORING, 502, Map.of(), "Bad Gateway");
  }

  public static Fault resetMidBody() {
    return new Fault(Kind.RESET_MID_BODY, 0, Map.of(), "");
  }

  public static Fault competingRelease() {
    return new Fault(Kind.COMPETING_RELEASE, 0, Map.of(), "");
  }

  /** Create: GitHub performs the create but answers 502, as a proxy that lost the reply would. */
  public static Fault createdThenBadGateway() {
    return new Fault(Kind.CREATED_THEN_FAILED, 502, Map.of(), "Bad Gateway");
  }

  /** The request waits {@code millis} before it is handled. */
  public static Fault delay(int millis) {
    return new Fault(Kind.DELAY, millis, Map.of(), "");
  }

  /**
   * One of {@code requests} faults that hold their requests until all of them have arrived; inject
   * it {@code requests} times.
   */
  public static Fault together(int requests) {
    return new Fault(Kind.TOGETHER, requests, Map.of(), "");
  }

  public static Fault staleEmptyList() {
    return new Fault(Kind.STALE_EMPTY_LIST, 200, Map.of(), "");
  }

  public static Fault ignoreRange() {
    return new Fault(Kind.IGNORE_RANGE, 200, Map.of(), "");
  }
}
