package org.opdeploy.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.secret.Secret;

/**
 * Downloads one URL into a {@code .partial} file, continuing after the bytes it already holds with
 * {@code Range: bytes=N-}. A 206 appends, a 200 (server ignored the range) starts over, a 416 means
 * the file is already whole. Redirects are followed by hand so the bearer token only ever goes to
 * {@code tokenOrigin}, never to the storage host a GitHub asset redirects to; a redirect from
 * {@code https://} to {@code http://} is refused. Shared by the GitHub store and the HTTPS source
 * (whose client follows same-scheme redirects itself and leaves the rest to this loop).
 */
public final class ResumableDownload {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final int MAX_REDIRECTS = 5;
  private static final int BUFFER = 1 << 20;
  private final OkHttpClient client;
  private final Retrier retrier;
  private final ResponseErrors errors;

  public ResumableDownload(OkHttpClient client, Retrier retrier, ResponseErrors errors) {
    this.client = client;
    this.retrier = retrier;
    this.errors = errors;
  }

  /**
   * What to fetch: {@code headers} go to every hop; {@code token}, when not null, only to URLs
   * whose scheme, host and port equal {@code tokenOrigin}'s. {@code expectedSize} is -1 if unknown.
   */
  public record Target(
      String url,
      Map<String, String> headers,
      Secret token,
      String tokenOrigin,
      long expectedSize,
      String what) {
    public Target {
      headers = Map.copyOf(headers);
    }
  }

  public void fetch(Target target, Path partial, ProgressListener progress)
      throws OpdeployException {
    retrier.run(
        target.what(),
        attempt -> {
          attemptOnce(target, partial, progress);
          return null;
        });
  }

  /**
   * Opens the body from byte {@code offset} on ({@code Range}), for a reader that proves what it
   * reads and opens again from where its proof ended after a dropped connection. Opening is retried
   * like {@link #fetch}; reading is not. A server that ignores the range (200) is read past the
   * first {@code offset} bytes; one that answers another range is refused.
   */
  public InputStream open(Target target, long offset) throws OpdeployException {
    return retrier.run(
        target.what(),
        attempt -> {
          Response response = respond(target, offset);
          try {
            int code = response.code();
            if (code == 206 && rangeStart(response, target.what()) == offset) {
              return response.body().byteStream();
            }
            if (code == 206) {
              throw new TransientHttpException(
                  "server answered a range other than from byte " + offset, null);
            }
            if (code == 200) {
              InputStream body = response.body().byteStream();
              body.skipNBytes(offset);
              return body;
            }
            throw errors.fail(target.what(), response);
          } catch (IOException | OpdeployException | RuntimeException e) {
            response.close();
            throw e;
          }
        });
  }

  private void attemptOnce(Target target, Path partial, ProgressListener progress)
      throws IOException, OpdeployException {
    long have = sizeOf(partial);
    if (target.expectedSize() >= 0 && have > target.expectedSize()) {
      truncate(partial, 0); // longer than the asset: not a prefix of it, start over
      have = 0;
    }
    try (Response response = respond(target, have)) {
      int code = response.code();
      if (code == 416) {
        if (target.expectedSize() < 0 || have == target.expectedSize()) {
          return; // nothing left to fetch
        }
        truncate(partial, 0);
        throw new TransientHttpException("server refused the range from byte " + have, null);
      }
      if (code == 206) {
        long start = rangeStart(response, target.what());
        if (start != have) {
          truncate(partial, 0);
          throw new TransientHttpException(
              "server answered a range from byte " + start + " instead of " + have, null);
        }
        write(response, partial, have, target, progress);
        return;
      }
      if (code == 200) {
        write(response, partial, 0, target, progress);
        return;
      }
      throw errors.fail(target.what(), response);
    }
  }

  /**
   * The first response that is no redirect, asking for the bytes from {@code have} on; the caller
   * closes it.
   */
  private Response respond(Target target, long have) throws IOException, OpdeployException {
    HttpUrl url = HttpUrl.get(target.url());
    HttpUrl origin = target.tokenOrigin() == null ? null : HttpUrl.get(target.tokenOrigin());
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      Request.Builder request = new Request.Builder().url(url);
      target.headers().forEach(request::header);
      if (have > 0) {
        request.header("Range", "bytes=" + have + "-");
      }
      if (target.token() != null && sameOrigin(url, origin)) {
        request.header("Authorization", "Bearer " + target.token().reveal());
      }
      Response response = client.newCall(request.build()).execute();
      if (!response.isRedirect()) {
        return response;
      }
      int code = response.code();
      String location = response.header("Location");
      response.close();
      HttpUrl next = location == null ? null : url.resolve(location);
      if (next == null) {
        throw new OpdeployException(
            target.what() + " failed: redirect " + code + " without a usable Location");
      }
      TlsTrust.requireSecureRedirect(url, next, target.what());
      url = next;
    }
    throw new OpdeployException(
        target.what() + " failed: more than " + MAX_REDIRECTS + " redirects");
  }

  private void write(
      Response response, Path partial, long offset, Target target, ProgressListener progress)
      throws IOException, OpdeployException {
    TransferProgress bytes =
        new TransferProgress(
            progress, "download " + fileName(target), offset, target.expectedSize());
    byte[] buffer = new byte[BUFFER];
    long position = offset;
    try (FileChannel out = openForWrite(partial, offset)) {
      BufferedSource source = response.body().source();
      int n;
      while ((n = source.read(buffer)) != -1) {
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
        try {
          while (chunk.hasRemaining()) {
            out.write(chunk);
          }
        } catch (IOException e) {
          throw new LocalFileException("cannot write " + partial + ": " + e.getMessage(), e);
        }
        position += n;
        bytes.add(n);
      }
    }
    if (target.expectedSize() >= 0 && position != target.expectedSize()) {
      if (position > target.expectedSize()) {
        truncate(partial, 0);
        throw new OpdeployException(
            target.what()
                + " failed: the server sent "
                + position
                + " bytes, the release lists "
                + target.expectedSize()
                + "; run fetch again");
      }
      throw new TransientHttpException(
          "connection ended at byte " + position + " of " + target.expectedSize(), null);
    }
    bytes.finished();
  }

  private static String fileName(Target target) {
    String path = HttpUrl.get(target.url()).encodedPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static FileChannel openForWrite(Path partial, long offset) throws LocalFileException {
    try {
      FileChannel channel =
          FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      channel.truncate(offset);
      channel.position(offset);
      return channel;
    } catch (IOException e) {
      throw new LocalFileException("cannot write " + partial + ": " + e.getMessage(), e);
    }
  }

  private static long rangeStart(Response response, String what) throws OpdeployException {
    String header = response.header("Content-Range");
    Matcher m = header == null ? null : CONTENT_RANGE.matcher(header);
    if (m == null || !m.matches()) {
      throw new OpdeployException(what + " failed: 206 response without a valid Content-Range");
    }
    return Long.parseLong(m.group(1));
  }

  private static boolean sameOrigin(HttpUrl url, HttpUrl origin) {
    return origin != null
        && url.scheme().equals(origin.scheme())
        && url.host().equalsIgnoreCase(origin.host())
        && url.port() == origin.port();
  }

  private static long sizeOf(Path partial) throws LocalFileException {
    try {
      return Files.exists(partial) ? Files.size(partial) : 0;
    } catch (IOException e) {
      throw new LocalFileException("cannot read " + partial + ": " + e.getMessage(), e);
    }
  }

  private static void truncate(Path partial, long size) throws LocalFileException {
    try (FileChannel channel =
        FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      channel.truncate(size);
    } catch (IOException e) {
      throw new LocalFileException("cannot write " + partial + ": " + e.getMessage(), e);
    }
  }
}
