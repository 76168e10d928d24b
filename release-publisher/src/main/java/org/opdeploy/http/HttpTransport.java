package org.opdeploy.http;

import java.time.Duration;
import okhttp3.OkHttpClient;

/**
 * The one HTTP client configuration for release stores. Multi-GiB transfers must not trip a
 * timeout, so there is no call timeout, only generous per-read and per-write ones that fire when a
 * connection stalls. OkHttp's own silent retry and redirects are off: {@link Retrier} and {@link
 * ResumableDownload} decide what is safe to repeat and where credentials may go. Internal to this
 * module; other modules use the stores.
 */
public final class HttpTransport {
  private HttpTransport() {}

  /**
   * The client of an HTTPS release source: as {@link #newClient()}, trusting {@code caFile} (PEM,
   * may be null) besides the system's CAs, and following redirects within a scheme the way a
   * browser would (OkHttp drops {@code Authorization} when the host changes); a redirect across
   * schemes is handed back to the caller, which refuses https to http ({@link TlsTrust}).
   */
  public static OkHttpClient newSourceClient(java.nio.file.Path caFile)
      throws org.opdeploy.error.BadInputException {
    OkHttpClient.Builder builder =
        newClient().newBuilder().followRedirects(true).followSslRedirects(false);
    return (caFile == null ? builder : CaBundle.trustAlso(builder, caFile)).build();
  }

  public static OkHttpClient newClient() {
    return new OkHttpClient.Builder()
        .connectTimeout(Duration.ofSeconds(30))
        .readTimeout(Duration.ofMinutes(5))
        .writeTimeout(Duration.ofMinutes(5))
        .callTimeout(Duration.ZERO)
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .followSslRedirects(false)
        .build();
  }
}
