package org.opdeploy.github.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opdeploy.github.fake.FakeGitHub.Access;

/**
 * The upload host ({@code upload_url}'s origin) and the storage host API downloads redirect to.
 * Uploads stream to a file and hash as they go; the asset is {@code starter} until the last byte.
 */
final class UploadRoutes {
  private static final Pattern UPLOAD =
      Pattern.compile("^/repos/([^/]+/[^/]+)/releases/(\\d+)/assets$");
  private static final Pattern STORAGE = Pattern.compile("^/storage/(\\d+)$");
  private final FakeGitHub fake;

  UploadRoutes(FakeGitHub fake) {
    this.fake = fake;
  }

  void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      fake.record("uploads", exchange);
      String path = exchange.getRequestURI().getPath();
      Matcher m;
      if ((m = STORAGE.matcher(path)).matches() && exchange.getRequestMethod().equals("GET")) {
        storage(exchange, Long.parseLong(m.group(1)));
        return;
      }
      fake.rateLimitHeaders(exchange);
      Optional<Access> access = fake.authenticate(exchange);
      if (access.isEmpty()) {
        return;
      }
      if ((m = UPLOAD.matcher(path)).matches() && exchange.getRequestMethod().equals("POST")) {
        upload(exchange, access.get(), m.group(1), Long.parseLong(m.group(2)));
      } else {
        Exchanges.error(exchange, 404, "Not Found");
      }
    }
  }

  private void upload(HttpExchange ex, Access access, String repo, long releaseId)
      throws IOException {
    if (!fake.requireWrite(ex, access)) {
      return;
    }
    Fault fault = fake.nextFault(Route.UPLOAD_ASSET);
    if (fault != null && fault.kind() == Fault.Kind.STATUS) {
      FakeGitHub.answer(ex, fault);
      return;
    }
    String name = Exchanges.query(ex).getOrDefault("name", "");
    String lengthHeader = ex.getRequestHeaders().getFirst("Content-Length");
    if (lengthHeader == null) {
      Exchanges.error(ex, 411, "Length Required");
      return;
    }
    long length = Long.parseLong(lengthHeader);
    FakeRelease release;
    FakeAsset asset = null;
    String refusal = null;
    synchronized (fake.lock) {
      release = fake.byId(repo, releaseId).orElse(null);
      if (release == null) {
        refusal = "404";
      } else if (release.immutable && !release.draft) {
        refusal = "immutable";
      } else if (name.isEmpty()) {
        refusal = "name";
      } else if (length >= fake.options.maxAssetBytes()) {
        refusal = "size";
      } else if (release.asset(name) != null) {
        refusal = "exists";
      } else {
        asset = new FakeAsset(fake.ids.incrementAndGet(), name);
        asset.file = fake.storage.resolve("asset-" + asset.id);
        release.assets.add(asset);
      }
    }
    if (refusal != null) {
      // Like GitHub, read the upload before refusing it, so the client sees the answer, not a
      // reset.
      try (InputStream in = ex.getRequestBody()) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      switch (refusal) {
        case "404" -> Exchanges.error(ex, 404, "Not Found");
        case "immutable" ->
            Exchanges.error(ex, 422, "Cannot upload assets to an immutable release.");
        case "name" -> Exchanges.validationFailed(ex, "ReleaseAsset", "missing_field", "name");
        case "size" -> Exchanges.validationFailed(ex, "ReleaseAsset", "custom", "size");
        default -> Exchanges.validationFailed(ex, "ReleaseAsset", "already_exists", "name");
      }
      return;
    }
    Fault.Kind kind = fault == null ? null : fault.kind();
    long limit = kind == Fault.Kind.RESET_MID_BODY ? length / 2 : length;
    MessageDigest sha256 = newSha256();
    long received = 0;
    try (InputStream in = ex.getRequestBody();
        FileChannel out =
            FileChannel.open(
                asset.file,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
      byte[] buffer = new byte[1 << 20];
      while (received < limit) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - received));
        if (n < 0) {
          break;
        }
        sha256.update(buffer, 0, n);
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
        while (chunk.hasRemaining()) {
          out.write(chunk);
        }
        received += n;
      }
    }
    synchronized (fake.lock) {
      asset.size = received;
    }
    if (kind == Fault.Kind.RESET_MID_BODY) {
      throw new IOException(
          "fault: connection reset mid-upload"); // closes the socket, asset stays starter
    }
    if (received < length) {
      return; // the client went away: a starter asset remains, as on GitHub
    }
    if (kind == Fault.Kind.BAD_GATEWAY_LEAVING_STARTER) {
      Exchanges.error(ex, 502, "Bad Gateway");
      return;
    }
    JsonNode json;
    synchronized (fake.lock) {
      asset.state = "uploaded";
      asset.digest = "sha256:" + HexFormat.of().formatHex(sha256.digest());
      json = FakeJson.asset(fake, release, asset);
    }
    if (kind == Fault.Kind.BAD_GATEWAY_AFTER_STORING) {
      Exchanges.error(ex, 502, "Bad Gateway");
      return;
    }
    Exchanges.json(ex, 201, json);
  }

  private void storage(HttpExchange ex, long assetId) throws IOException {
    if (ex.getRequestHeaders().containsKey("Authorization")) {
      // Like a pre-signed storage URL: a second credential is an error, and must never be sent
      // here.
      Exchanges.error(ex, 400, "Only one auth mechanism allowed");
      return;
    }
    FakeAsset asset = null;
    synchronized (fake.lock) {
      for (FakeRelease r : fake.releases) {
        for (FakeAsset a : r.assets) {
          if (a.id == assetId && "uploaded".equals(a.state)) {
            asset = a;
          }
        }
      }
    }
    if (asset == null) {
      Exchanges.error(ex, 404, "Not Found");
      return;
    }
    serve(fake, ex, asset);
  }

  static void serve(FakeGitHub fake, HttpExchange ex, FakeAsset asset) throws IOException {
    Fault fault = fake.nextFault(Route.DOWNLOAD);
    if (fault != null && fault.kind() == Fault.Kind.STATUS) {
      FakeGitHub.answer(ex, fault);
      return;
    }
    Fault.Kind kind = fault == null ? null : fault.kind();
    Exchanges.sendFile(
        ex,
        asset.file,
        asset.size,
        kind != Fault.Kind.IGNORE_RANGE,
        kind == Fault.Kind.RESET_MID_BODY);
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
