package org.opdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.deploy.receive.DeployResult;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.http.RetryPolicy;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.release.ReleaseLocations;
import org.opdeploy.store.HttpsReleaseSource;
import org.opdeploy.version.Version;

/**
 * Issue 10, item 11, against a real nginx over HTTPS with a throw-away CA: the {@code ca-file}
 * setting, certificate and host-name failures as trust failures (exit 3, no retry), redirects
 * followed alike for index, HEAD and stream requests but never from https to http, and plain http
 * on loopback.
 */
class HttpsSourceIT {
  private Version V2;

  @TempDir Path tempDir;
  private TargetFixture fx;
  private NginxServer nginx;
  private final AtomicInteger retries = new AtomicInteger();

  @BeforeEach
  void setUp() throws Exception {
    V2 = Version.parse("v2.0.0");
    fx = new TargetFixture(tempDir, 512);
    try {
      fx.publish("v2.0.0", null);
      nginx = NginxServer.start(tempDir, fx.releases.store());
    } catch (Exception | Error e) {
      fx.close();
      throw e;
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      nginx.close();
    } finally {
      fx.close();
    }
  }

  /** Retries are counted, never waited for: a trust failure must not be retried at all. */
  private HttpsReleaseSource source(String url, Path caFile) throws Exception {
    RetryPolicy counted =
        RetryPolicy.defaults().withSleeper(d -> retries.incrementAndGet(), Clock.systemUTC());
    return new HttpsReleaseSource(url, counted, caFile);
  }

  @Test
  void deploysOverHttpsTrustingTheCaFile() throws Exception {
    DeployResult result = fx.agent().deploy(V2, source(nginx.https(""), nginx.caFile), false);

    assertThat(result.deployment()).isDirectory();
    assertThat(retries).hasValue(0);
  }

  @Test
  void streamsAChunkIndexedReleaseAndRefusesATamperedChunkBeforeReceive() throws Exception {
    fx.releases.withChunkIndex(64 << 10);
    fx.releases.writePayload("v3.0.0", 0, 2 << 20);
    fx.releases.release("v3.0.0", null, null, 0);
    Version v3 = Version.parse("v3.0.0");
    Path stream = fx.releases.store().resolve("v3.0.0").resolve("op-dbus-v3.0.0.send.zst");
    long at = Files.size(stream) / 2;
    flip(stream, at);

    assertThatThrownBy(() -> fx.agent().deploy(v3, source(nginx.https(""), nginx.caFile), false))
        .isInstanceOfSatisfying(
            OpdeployException.class,
            e -> assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFICATION_FAILED))
        .hasMessageContaining("chunk " + at / (64 << 10) + " of op-dbus-v3.0.0.send.zst");
    assertThat(fx.deployment("v3.0.0")).doesNotExist();
    assertThat(fx.layout().staging()).isEmptyDirectory();
    assertThat(fx.layout().cache(v3))
        .as("a refused release leaves nothing in the cache")
        .doesNotExist();

    flip(stream, at);
    DeployResult result = fx.agent().deploy(v3, source(nginx.https(""), nginx.caFile), false);

    assertThat(result.deployment()).isDirectory();
    assertThat(fx.layout().cache(v3).resolve("op-dbus-v3.0.0.send.zst")).doesNotExist();
  }

  private static void flip(Path file, long at) throws Exception {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(at);
      int b = raf.read();
      raf.seek(at);
      raf.write(b ^ 1);
    }
  }

  @Test
  void redirectingMirrorIsFollowedForIndexHeadAndStreams() throws Exception {
    DeployResult result =
        fx.agent().deploy(V2, source(nginx.https("mirror/"), nginx.caFile), false);

    assertThat(result.deployment()).isDirectory();
  }

  @Test
  void certificateFromAnUnknownCaFailsAtOnceAsATrustFailure() throws Exception {
    assertTrustFailure(source(nginx.https(""), null), "certificate is not trusted");
    assertThat(retries).hasValue(0);
  }

  @Test
  void hostNameTheCertificateDoesNotNameFailsAtOnceAsATrustFailure() throws Exception {
    assertTrustFailure(
        source("https://127.0.0.1:" + nginx.httpsPort + "/", nginx.caFile), "127.0.0.1");
    assertThat(retries).hasValue(0);
  }

  @Test
  void redirectOfTheIndexFromHttpsToHttpIsRefused() throws Exception {
    assertTrustFailure(source(nginx.https("downgrade/"), nginx.caFile), "refusing to leave HTTPS");
  }

  @Test
  void redirectOfAStreamFromHttpsToHttpIsRefusedAndNothingIsKept() throws Exception {
    assertTrustFailure(
        source(nginx.https("streams-downgrade/"), nginx.caFile), "refusing to leave HTTPS");

    assertThat(fx.layout().cache(V2)).doesNotExist();
  }

  @Test
  void redirectOfAStreamedStreamFromHttpsToHttpIsATrustFailureAndNothingIsKept() throws Exception {
    fx.releases.withChunkIndex(64 << 10);
    fx.releases.writePayload("v3.0.0", 0, 256 << 10);
    fx.releases.release("v3.0.0", null, null, 0);
    Version v3 = Version.parse("v3.0.0");

    assertThatThrownBy(
            () ->
                fx.agent()
                    .deploy(v3, source(nginx.https("streams-downgrade/"), nginx.caFile), false))
        .hasMessageContaining("refusing to leave HTTPS")
        .satisfies(
            e ->
                assertThat(((OpdeployException) e).exitCode())
                    .isEqualTo(ExitCode.VERIFICATION_FAILED));

    assertThat(fx.deployment("v3.0.0")).doesNotExist();
    assertThat(fx.layout().cache(v3))
        .as("a refused release leaves nothing in the cache")
        .doesNotExist();
  }

  @Test
  void oversizedSha256sumsOverHttpsIsRefusedWithoutReadingIt() throws Exception {
    try (RandomAccessFile raf =
        new RandomAccessFile(
            fx.releases.store().resolve("v2.0.0").resolve(AssetNames.SHA256SUMS).toFile(), "rw")) {
      raf.setLength(300L << 20);
    }

    assertTrustFailure(source(nginx.https(""), nginx.caFile), "over the 1048576-byte limit");
  }

  @Test
  void plainHttpOnLoopbackIsAcceptedAsDocumented() throws Exception {
    var source =
        ReleaseLocations.openSource("http://127.0.0.1:" + nginx.httpPort + "/", Map.of(), null);

    DeployResult result = fx.agent().deploy(V2, source, false);

    assertThat(result.deployment()).isDirectory();
  }

  @Test
  void plainHttpToAnotherHostIsRefusedAsBadInput() {
    assertThatThrownBy(
            () ->
                ReleaseLocations.openSource("http://releases.example.com/op-dbus", Map.of(), null))
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining("plain http:// only on a loopback host")
        .satisfies(
            e -> assertThat(((OpdeployException) e).exitCode()).isEqualTo(ExitCode.BAD_INPUT));
  }

  @Test
  void caFileThatHoldsNoCertificateIsBadInput() throws Exception {
    Path notPem = Files.writeString(tempDir.resolve("ca.pem"), "not a certificate\n");

    assertThatThrownBy(() -> ReleaseLocations.openSource(nginx.https(""), Map.of(), notPem))
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining("ca-file " + notPem)
        .satisfies(
            e -> assertThat(((OpdeployException) e).exitCode()).isEqualTo(ExitCode.BAD_INPUT));
  }

  private void assertTrustFailure(HttpsReleaseSource source, String message) {
    assertThatThrownBy(() -> fx.agent().deploy(V2, source, false))
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"))
        .satisfies(
            e ->
                assertThat(((OpdeployException) e).exitCode())
                    .isEqualTo(ExitCode.VERIFICATION_FAILED));
    assertThat(fx.layout().deployments().resolve("@op-dbus-v2.0.0")).doesNotExist();
  }
}
