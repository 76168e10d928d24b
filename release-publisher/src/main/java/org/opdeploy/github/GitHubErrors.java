package org.opdeploy.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import okhttp3.Response;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.http.ResponseErrors;
import org.opdeploy.http.TransientHttpException;

/**
 * Reads GitHub's failures: 5xx, 429 and rate-limit 403s become retries that honour {@code
 * retry-after} and {@code x-ratelimit-reset}; 401, other 403s and 404s become one-line errors
 * saying what to fix. Only GitHub's own {@code message} text is quoted, never headers.
 */
final class GitHubErrors implements ResponseErrors {
  /** GitHub asks clients to wait at least a minute after a secondary limit that names no wait. */
  private static final Duration SECONDARY_LIMIT_WAIT = Duration.ofSeconds(60);

  private static final ObjectMapper JSON = new ObjectMapper();
  private final String repository;
  private final boolean hasToken;
  private final Clock clock;

  GitHubErrors(String repository, boolean hasToken, Clock clock) {
    this.repository = repository;
    this.hasToken = hasToken;
    this.clock = clock;
  }

  @Override
  public IOException fail(String what, Response response) throws IOException, OpdeployException {
    int code = response.code();
    String message = message(response);
    String detail = code + (message.isEmpty() ? "" : " " + message);
    if (code >= 500) {
      throw new TransientHttpException("HTTP " + detail, retryAfter(response, null));
    }
    if (code == 429 || (code == 403 && isRateLimit(response, message))) {
      throw new TransientHttpException(
          "rate limited: HTTP " + detail, retryAfter(response, SECONDARY_LIMIT_WAIT));
    }
    if (code == 401) {
      throw new OpdeployException(
          hasToken
              ? "GitHub rejected GITHUB_TOKEN on "
                  + what
                  + " ("
                  + detail
                  + "): set GITHUB_TOKEN to a valid token"
              : "GitHub requires a token for " + what + " (" + detail + "): set GITHUB_TOKEN");
    }
    if (code == 403) {
      throw new OpdeployException(
          "GitHub refused "
              + what
              + " ("
              + detail
              + "): the token needs"
              + " 'contents: write' permission on "
              + repository);
    }
    if (code == 404) {
      throw new OpdeployException(
          what
              + " failed: not found ("
              + detail
              + "); check that "
              + repository
              + " exists and that GITHUB_TOKEN can see it");
    }
    throw new OpdeployException("GitHub refused " + what + " (" + detail + ")");
  }

  static boolean isRateLimit(Response response, String message) {
    return "0".equals(response.header("x-ratelimit-remaining"))
        || response.header("retry-after") != null
        || message.toLowerCase().contains("rate limit");
  }

  private Duration retryAfter(Response response, Duration fallback) {
    String retryAfter = response.header("retry-after");
    if (retryAfter != null && retryAfter.trim().matches("\\d{1,9}")) {
      return Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
    }
    String reset = response.header("x-ratelimit-reset");
    if ("0".equals(response.header("x-ratelimit-remaining"))
        && reset != null
        && reset.trim().matches("\\d{1,12}")) {
      long wait = Long.parseLong(reset.trim()) - clock.instant().getEpochSecond();
      return Duration.ofSeconds(Math.max(0, wait) + 1);
    }
    return fallback;
  }

  /** GitHub's {@code message}, and the first validation error's code, on one line. */
  static String message(Response response) {
    try {
      String body = response.peekBody(65536).string();
      JsonNode json = JSON.readTree(body);
      if (json == null || !json.isObject()) {
        return "";
      }
      String text = json.path("message").asText("");
      String firstCode = json.path("errors").path(0).path("code").asText("");
      if (!firstCode.isEmpty()) {
        text = text + " (" + firstCode + ")";
      }
      text = text.replaceAll("\\s+", " ").trim();
      return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
