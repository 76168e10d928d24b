package org.opdeploy.deploy.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.deploy.fetch.AssetDownloader;
import org.opdeploy.deploy.release.StreamedFiles;
import org.opdeploy.http.RetryPolicy;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.store.HttpsReleaseSource;
import org.opdeploy.store.RemoteAsset;
import org.opdeploy.version.Version;

/**
 * Retries happen in one layer per source: an HTTP source retries inside its requests and the
 * target's downloader and stream reader try it once, so a dead server is asked exactly the HTTP
 * policy's number of times, never that number times the target's.
 */
class OneRetryLayerTest {
  private static final int HTTP_TRIES = 3;
  private static final RetryPolicy TARGET = RetryPolicy.of(4, Duration.ZERO);
  private static final RemoteAsset ASSET = new RemoteAsset("op-dbus-v1.0.0.send.zst", 1000, null);

  @TempDir Path dir;
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger waits = new AtomicInteger();
  private HttpsReleaseSource source;

  @BeforeEach
  void startDeadServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          exchange.sendResponseHeaders(503, -1);
          exchange.close();
        });
    server.start();
    RetryPolicy http =
        RetryPolicy.of(HTTP_TRIES, Duration.ofSeconds(1))
            .withSleeper(d -> waits.incrementAndGet(), Clock.systemUTC());
    source =
        new HttpsReleaseSource(
            "http://127.0.0.1:" + server.getAddress().getPort() + "/releases", http);
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void aDownloadFromADeadServerAsksItExactlyTheHttpPolicysNumberOfTimes() {
    AssetDownloader downloader = new AssetDownloader(source, ProgressListener.NONE, TARGET);

    assertThatThrownBy(() -> downloader.download(Version.parse("v1.0.0"), ASSET, dir, null))
        .hasMessageContaining("failed after " + HTTP_TRIES + " attempts");
    assertThat(requests).hasValue(HTTP_TRIES);
    assertThat(waits).hasValue(HTTP_TRIES - 1);
  }

  @Test
  void aStreamFromADeadServerAsksItExactlyTheHttpPolicysNumberOfTimes() throws Exception {
    StreamedFiles from = new StreamedFiles(source, List.of(ASSET), TARGET, null);
    try (ChunkReader reader =
        new ChunkReader(from, Version.parse("v1.0.0"), ASSET, ProgressListener.NONE)) {
      assertThatThrownBy(() -> reader.readChunk(0, new byte[1000], 1000))
          .hasMessageContaining("failed after " + HTTP_TRIES + " attempts");
    }
    assertThat(requests).hasValue(HTTP_TRIES);
  }
}
