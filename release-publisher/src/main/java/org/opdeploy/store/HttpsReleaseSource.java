package org.opdeploy.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.http.HttpTransport;
import org.opdeploy.http.ResponseErrors;
import org.opdeploy.http.ResumableDownload;
import org.opdeploy.http.Retrier;
import org.opdeploy.http.RetryPolicy;
import org.opdeploy.http.TlsTrust;
import org.opdeploy.http.TransientHttpException;
import org.opdeploy.manifest.Checksums;
import org.opdeploy.manifest.IndexLimits;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/**
 * A read-only release source on any web server: {@code <base>/<VERSION>/<asset>}. The asset list is
 * what {@code <base>/<VERSION>/SHA256SUMS} names, plus SHA256SUMS and SHA256SUMS.asc; sizes come
 * from HEAD. Downloads resume like GitHub's (same code). Every request follows redirects the same
 * way, never from https to http. Plain {@code http://} is accepted only for loopback hosts, for
 * tests and local mirrors. SHA256SUMS is read within its fixed cap ({@link IndexLimits}).
 */
public final class HttpsReleaseSource implements ReleaseSource {
  private static final String SUMS = "SHA256SUMS";
  private static final String SIGNATURE = "SHA256SUMS.asc";
  private static final int MAX_INDEX_BYTES = 1 << 20;
  private static final int MAX_REDIRECTS = 5;
  private final HttpUrl base;
  private final OkHttpClient client;
  private final Retrier retrier;
  private final ResponseErrors errors;

  public HttpsReleaseSource(String baseUrl) throws BadInputException {
    this(baseUrl, RetryPolicy.defaults(), null);
  }

  public HttpsReleaseSource(String baseUrl, RetryPolicy retry) throws BadInputException {
    this(baseUrl, retry, null);
  }

  /**
   * {@code caFile}: PEM CA certificates trusted besides the system's (the {@code ca-file} setting),
   * or null.
   */
  public HttpsReleaseSource(String baseUrl, RetryPolicy retry, Path caFile)
      throws BadInputException {
    HttpUrl parsed =
        baseUrl == null ? null : HttpUrl.parse(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    if (parsed == null || (!parsed.isHttps() && !isLoopback(parsed.host()))) {
      throw new BadInputException(
          "'"
              + baseUrl
              + "' is not an https:// base URL (plain http:// only on a"
              + " loopback host): expected e.g. https://releases.example.com/op-dbus");
    }
    this.base = parsed.newBuilder().username("").password("").query(null).fragment(null).build();
    this.client = HttpTransport.newSourceClient(caFile);
    this.retrier = new Retrier(retry);
    this.errors = HttpsReleaseSource::fail;
  }

  @Override
  public String describe() {
    String text = base.toString();
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }

  @Override
  public List<RemoteAsset> assets(Version version) throws OpdeployException {
    byte[] sumsBytes =
        retrier.run(
            "read " + SUMS + " of " + version + " from " + describe(),
            attempt -> {
              try (Response response =
                  execute(new Request.Builder().url(url(version, SUMS)).get())) {
                if (response.code() == 404) {
                  throw new OpdeployException(
                      "release "
                          + version
                          + " not found at "
                          + describe()
                          + " (no "
                          + url(version, SUMS)
                          + "); check the version and the URL");
                }
                if (!response.isSuccessful()) {
                  throw fail("read " + SUMS, response);
                }
                String where = url(version, SUMS).toString();
                IndexLimits.requireWithin(SUMS, response.body().contentLength(), where);
                return IndexLimits.read(response.body().byteStream(), SUMS, where);
              }
            });
    Map<String, String> sums =
        Checksums.parse(
            new String(sumsBytes, StandardCharsets.UTF_8), url(version, SUMS).toString());
    List<RemoteAsset> assets = new ArrayList<>();
    for (Map.Entry<String, String> entry : sums.entrySet()) {
      long size = size(version, entry.getKey());
      if (size < 0) {
        throw new OpdeployException(
            SUMS
                + " of "
                + version
                + " lists "
                + entry.getKey()
                + " but "
                + url(version, entry.getKey())
                + " is missing; the mirror is incomplete");
      }
      assets.add(new RemoteAsset(entry.getKey(), size, entry.getValue()));
    }
    assets.add(new RemoteAsset(SUMS, sumsBytes.length, null));
    long signature = size(version, SIGNATURE);
    if (signature >= 0) {
      assets.add(new RemoteAsset(SIGNATURE, signature, null));
    }
    return assets;
  }

  @Override
  public boolean retriesDownloads() {
    return true;
  }

  @Override
  public void download(Version version, RemoteAsset asset, Path partial, ProgressListener progress)
      throws OpdeployException {
    new ResumableDownload(client, retrier, errors).fetch(target(version, asset), partial, progress);
  }

  @Override
  public InputStream open(Version version, RemoteAsset asset, long offset)
      throws OpdeployException {
    return new ResumableDownload(client, retrier, errors).open(target(version, asset), offset);
  }

  private ResumableDownload.Target target(Version version, RemoteAsset asset) {
    return new ResumableDownload.Target(
        url(version, asset.name()).toString(),
        Map.of("User-Agent", "opdeploy"),
        null,
        null,
        asset.size(),
        "download " + asset.name() + " from " + describe());
  }

  /**
   * The versions {@code <base>/VERSIONS} lists (one a line; a {@code dir:} store writes it on every
   * publish), read with a fixed cap: a plain web server has no listing of its own.
   */
  @Override
  public List<Version> versions() throws OpdeployException {
    HttpUrl index = base.resolve(DirectoryStore.VERSIONS_INDEX);
    String text =
        retrier.run(
            "read " + index,
            attempt -> {
              try (Response response = execute(new Request.Builder().url(index).get())) {
                if (response.code() == 404) {
                  throw new OpdeployException(
                      describe()
                          + " cannot list its versions: it has no "
                          + DirectoryStore.VERSIONS_INDEX
                          + " (publishing to the dir: store it mirrors writes one);"
                          + " name the version explicitly");
                }
                if (!response.isSuccessful()) {
                  throw fail("read " + DirectoryStore.VERSIONS_INDEX, response);
                }
                byte[] bytes = response.body().byteStream().readNBytes(MAX_INDEX_BYTES + 1);
                if (bytes.length > MAX_INDEX_BYTES) {
                  throw new OpdeployException(
                      index + " is larger than " + MAX_INDEX_BYTES + " bytes; refusing to read it");
                }
                return new String(bytes, StandardCharsets.UTF_8);
              }
            });
    List<Version> versions = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        try {
          versions.add(Version.parse(line.strip()));
        } catch (BadInputException e) {
          throw new OpdeployException(
              index + " lists something that is not a version: " + e.getMessage());
        }
      }
    }
    versions.sort(null);
    return versions.stream().distinct().toList();
  }

  private long size(Version version, String name) throws OpdeployException {
    return retrier.run(
        "check " + name + " at " + describe(),
        attempt -> {
          try (Response response = execute(new Request.Builder().url(url(version, name)).head())) {
            if (response.code() == 404) {
              return -1L;
            }
            if (!response.isSuccessful()) {
              throw fail("check " + name, response);
            }
            String length = response.header("Content-Length");
            if (length == null || !length.matches("\\d{1,19}")) {
              throw new OpdeployException(
                  url(version, name)
                      + " has no Content-Length; the server must"
                      + " report asset sizes");
            }
            return Long.parseLong(length);
          }
        });
  }

  /**
   * One request, redirects followed as for stream downloads: within a scheme by the client, across
   * schemes here, where https to http is refused (exit 3).
   */
  private Response execute(Request.Builder request) throws IOException, OpdeployException {
    Request next = request.header("User-Agent", "opdeploy").build();
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      Response response = client.newCall(next).execute();
      if (!response.isRedirect()) {
        return response;
      }
      HttpUrl from = response.request().url();
      String location = response.header("Location");
      response.close();
      HttpUrl to = location == null ? null : from.resolve(location);
      if (to == null) {
        throw new OpdeployException("read " + from + " failed: redirect without a usable Location");
      }
      TlsTrust.requireSecureRedirect(from, to, "read " + next.url());
      next = next.newBuilder().url(to).build();
    }
    throw new OpdeployException(
        "read " + request.build().url() + " failed: more than " + MAX_REDIRECTS + " redirects");
  }

  private HttpUrl url(Version version, String name) {
    return base.newBuilder().addPathSegment(version.text()).addPathSegment(name).build();
  }

  private static IOException fail(String what, Response response)
      throws IOException, OpdeployException {
    int code = response.code();
    if (code >= 500 || code == 429 || code == 408) {
      String retryAfter = response.header("retry-after");
      throw new TransientHttpException(
          "HTTP " + code,
          retryAfter != null && retryAfter.matches("\\d{1,9}")
              ? Duration.ofSeconds(Long.parseLong(retryAfter))
              : null);
    }
    throw new OpdeployException(
        what
            + " failed: HTTP "
            + code
            + " from "
            + response.request().url()
            + (code == 401 || code == 403 ? "; the server refused access, check the URL" : ""));
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  @Override
  public String toString() {
    return describe();
  }
}
