package org.opdeploy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.github.fake.FakeWebServer;
import org.opdeploy.github.fake.Fault;
import org.opdeploy.github.fake.RecordedRequest;
import org.opdeploy.github.fake.RecordingSleeper;
import org.opdeploy.manifest.Checksums;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

class HttpsReleaseSourceTest {
  @TempDir Path temp;
  FakeWebServer server;
  RecordingSleeper sleeper = new RecordingSleeper();
  byte[] stream = new byte[250_000];
  Version v1;

  @BeforeEach
  void mirror() throws Exception {
    Path release = Files.createDirectories(temp.resolve("www/op-dbus/v1.0.0"));
    new Random(3).nextBytes(stream);
    Files.write(release.resolve("op-dbus-v1.0.0.send.zst"), stream);
    String hex =
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(stream));
    Files.writeString(
        release.resolve("SHA256SUMS"), Checksums.render(Map.of("op-dbus-v1.0.0.send.zst", hex)));
    Files.writeString(release.resolve("SHA256SUMS.asc"), "-----BEGIN PGP SIGNATURE-----\n");
    server = FakeWebServer.serve(temp.resolve("www"));
    v1 = Version.parse("v1.0.0");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpsReleaseSource source() throws BadInputException {
    return new HttpsReleaseSource(server.url() + "/op-dbus", sleeper.policy());
  }

  @Test
  void assetsAreWhatSha256sumsNamesPlusTheSumsAndSignature() throws Exception {
    List<RemoteAsset> assets = source().assets(v1);
    assertThat(assets)
        .extracting(RemoteAsset::name)
        .containsExactly("op-dbus-v1.0.0.send.zst", "SHA256SUMS", "SHA256SUMS.asc");
    assertThat(assets.get(0).size()).isEqualTo(250_000);
    assertThat(assets.get(0).sha256()).hasSize(64);
  }

  @Test
  void resumedDownloadSendsRangeAndSurvivesAReset() throws Exception {
    Path partial = temp.resolve("s.partial");
    Files.write(partial, Arrays.copyOf(stream, 1000));
    server.inject(Fault.resetMidBody());
    source()
        .download(
            v1,
            new RemoteAsset("op-dbus-v1.0.0.send.zst", stream.length, null),
            partial,
            ProgressListener.NONE);
    assertThat(Files.readAllBytes(partial)).isEqualTo(stream);
    List<String> ranges = server.requests().stream().map(RecordedRequest::range).toList();
    assertThat(ranges.get(0)).isEqualTo("bytes=1000-");
    assertThat(ranges.get(1)).startsWith("bytes=").isNotEqualTo("bytes=1000-");
  }

  @Test
  void missingReleaseNamesTheVersionAndUrl() {
    assertThatThrownBy(() -> source().assets(Version.parse("v9.9.9")))
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining("release v9.9.9 not found at " + server.url() + "/op-dbus");
  }

  @Test
  void plainHttpIsRefusedExceptOnLoopbackAndCredentialsNeverShow() throws Exception {
    assertThatThrownBy(() -> new HttpsReleaseSource("http://releases.example.com/x"))
        .isInstanceOf(BadInputException.class);
    assertThat(new HttpsReleaseSource("https://user:pw@releases.example.com/x/").describe())
        .isEqualTo("https://releases.example.com/x");
    assertThatThrownBy(() -> source().versions())
        .hasMessageContaining("name the version explicitly");
  }

  @Test
  void versionsAreWhatTheStoresVersionsIndexLists() throws Exception {
    Files.writeString(
        temp.resolve("www/op-dbus/VERSIONS"), "v1.0.0\nnightly-20260101\n\nv1.2.0-rc.1\n");
    assertThat(source().versions())
        .extracting(Version::toString)
        .containsExactly("v1.0.0", "v1.2.0-rc.1", "nightly-20260101");
  }

  @Test
  void aMirrorWithoutAnIndexSaysSoAndAGarbledOneIsRefused() throws Exception {
    assertThatThrownBy(() -> source().versions())
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining("VERSIONS")
        .hasMessageContaining("name the version explicitly");
    Files.writeString(temp.resolve("www/op-dbus/VERSIONS"), "v1.0.0\n../../etc/passwd\n");
    assertThatThrownBy(() -> source().versions())
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining("not a version");
  }
}
