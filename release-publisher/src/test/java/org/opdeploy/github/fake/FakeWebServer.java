package org.opdeploy.github.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A plain static web server on loopback serving a folder (GET with Range, HEAD), for the HTTPS
 * release source; download faults as in {@link FakeGitHub}, and a request log.
 */
public final class FakeWebServer implements AutoCloseable {
  private final Path root;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final List<RecordedRequest> log = new ArrayList<>();

  private FakeWebServer(Path root) throws IOException {
    this.root = root;
    this.server = Exchanges.loopbackServer(16);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public static FakeWebServer serve(Path root) {
    try {
      return new FakeWebServer(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public synchronized void inject(Fault... queued) {
    faults.addAll(List.of(queued));
  }

  public synchronized List<RecordedRequest> requests() {
    return List.copyOf(log);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Fault fault;
      synchronized (this) {
        log.add(
            new RecordedRequest(
                "web",
                exchange.getRequestMethod(),
                exchange.getRequestURI().toString(),
                exchange.getRequestHeaders().getFirst("Range"),
                exchange.getRequestHeaders().containsKey("Authorization"),
                null));
        fault = exchange.getRequestMethod().equals("GET") ? faults.poll() : null;
      }
      Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        Exchanges.error(exchange, 404, "Not Found");
        return;
      }
      if (fault != null && fault.kind() == Fault.Kind.STATUS) {
        FakeGitHub.answer(exchange, fault);
        return;
      }
      Fault.Kind kind = fault == null ? null : fault.kind();
      Exchanges.sendFile(
          exchange,
          file,
          Files.size(file),
          kind != Fault.Kind.IGNORE_RANGE,
          kind == Fault.Kind.RESET_MID_BODY);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
