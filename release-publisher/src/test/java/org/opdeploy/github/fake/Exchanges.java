package org.opdeploy.github.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading requests and writing JSON and file responses for the fakes' handlers. */
final class Exchanges {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

  private Exchanges() {}

  /**
   * An HTTP server on a free loopback port that answers without Nagle's delay, as real web servers
   * do: the JDK's server otherwise holds a response's body until the client acknowledges its
   * headers, which costs every small API call about 40 ms (the client's delayed ACK).
   */
  static HttpServer loopbackServer(int backlog) throws IOException {
    // Read once, when the JDK's server configuration is first loaded.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backlog);
  }

  static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> params = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String key =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        params.put(key, value);
      }
    }
    return params;
  }

  static JsonNode readJson(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readAllBytes();
      return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
    }
  }

  static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  static void error(HttpExchange exchange, int status, String message) throws IOException {
    ObjectNode body =
        JSON.createObjectNode()
            .put("message", message)
            .put("documentation_url", "https://docs.github.com/rest")
            .put("status", String.valueOf(status));
    json(exchange, status, body);
  }

  static void validationFailed(HttpExchange exchange, String resource, String code, String field)
      throws IOException {
    ObjectNode body =
        JSON.createObjectNode()
            .put("message", "Validation Failed")
            .put("documentation_url", "https://docs.github.com/rest")
            .put("status", "422");
    body.putArray("errors")
        .addObject()
        .put("resource", resource)
        .put("code", code)
        .put("field", field);
    json(exchange, 422, body);
  }

  static void empty(HttpExchange exchange, int status) throws IOException {
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  /**
   * Sends {@code file} honouring {@code Range: bytes=N-}; {@code cutHalfway} drops the connection
   * after half of the body, as a reset would.
   */
  static void sendFile(
      HttpExchange exchange, Path file, long size, boolean honourRange, boolean cutHalfway)
      throws IOException {
    String range = exchange.getRequestHeaders().getFirst("Range");
    long start = 0;
    long end = size - 1;
    int status = 200;
    Matcher m = range == null || !honourRange ? null : RANGE.matcher(range.trim());
    if (m != null && m.matches()) {
      start = Long.parseLong(m.group(1));
      if (!m.group(2).isEmpty()) {
        end = Math.min(end, Long.parseLong(m.group(2)));
      }
      if (start >= size) {
        exchange.getResponseHeaders().set("Content-Range", "bytes */" + size);
        empty(exchange, 416);
        return;
      }
      status = 206;
      exchange.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + end + "/" + size);
    }
    long length = end - start + 1;
    exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
    exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.getResponseHeaders().set("Content-Length", String.valueOf(length));
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
      return;
    }
    exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
    long limit = cutHalfway ? length / 2 : length;
    OutputStream out = exchange.getResponseBody();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
      long position = start;
      long sent = 0;
      while (sent < limit) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), limit - sent));
        int n = channel.read(buffer, position);
        if (n < 0) {
          break;
        }
        out.write(buffer.array(), 0, n);
        position += n;
        sent += n;
      }
    }
    if (cutHalfway) {
      out.flush();
      throw new IOException("fault: connection reset mid-download"); // the server drops the socket
    }
    out.close();
  }
}
