package org.opdeploy.github;

import java.util.Map;
import org.opdeploy.error.BadInputException;
import org.opdeploy.http.RetryPolicy;
import org.opdeploy.secret.Secret;

/**
 * How to reach GitHub: the REST API base ({@code GITHUB_API_URL}, GitHub Enterprise Server works),
 * the token ({@code GITHUB_TOKEN}; null reads public releases only), how many assets upload at once
 * and how to retry. Its {@code toString} never shows the token.
 */
public record GitHubSettings(
    String apiUrl, Secret token, int uploadConcurrency, RetryPolicy retry) {
  public static final String DEFAULT_API_URL = "https://api.github.com";

  public GitHubSettings {
    if (uploadConcurrency < 1) {
      throw new IllegalArgumentException("uploadConcurrency must be at least 1");
    }
    apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
  }

  /**
   * Reads {@code GITHUB_API_URL} and {@code GITHUB_TOKEN}; two uploads at a time, default retries.
   */
  public static GitHubSettings fromEnvironment(Map<String, String> env) throws BadInputException {
    String api = env.getOrDefault("GITHUB_API_URL", "");
    if (api.isBlank()) {
      api = DEFAULT_API_URL;
    }
    if (!api.startsWith("https://") && !api.startsWith("http://")) {
      throw new BadInputException(
          "GITHUB_API_URL '"
              + api
              + "' is not an http(s) URL: unset it for"
              + " github.com or set it to your server's API, e.g. https://ghe.example.com/api/v3");
    }
    return new GitHubSettings(
        api, Secret.fromEnvironment(env, "GITHUB_TOKEN"), 2, RetryPolicy.defaults());
  }

  public GitHubSettings withUploadConcurrency(int concurrency) {
    return new GitHubSettings(apiUrl, token, concurrency, retry);
  }

  public GitHubSettings withRetry(RetryPolicy policy) {
    return new GitHubSettings(apiUrl, token, uploadConcurrency, policy);
  }

  public GitHubSettings withToken(Secret newToken) {
    return new GitHubSettings(apiUrl, newToken, uploadConcurrency, retry);
  }
}
