package org.opdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/**
 * A {@code dir:} store's streams are verified and received where they lie, never copied; a file
 * that changes between its verification and its receive is caught and nothing is deployed.
 */
class TargetInPlaceIT {
  private static final String STREAM = "op-dbus-v1.0.0.send.zst";
  @TempDir Path tempDir;
  private TargetFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = new TargetFixture(tempDir, 512);
    fx.releases.writePayload("v1.0.0", 0, 2 << 20);
    fx.releases.release("v1.0.0", null, null, 0);
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  private Path storeStream() {
    return fx.releases.store().resolve("v1.0.0").resolve(STREAM);
  }

  @Test
  void deployFromADirectoryStoreReceivesTheStreamWhereItLiesWithoutCopyingIt() throws Exception {
    byte[] before = Files.readAllBytes(storeStream());

    fx.agent().deploy(Version.parse("v1.0.0"), fx.source, false);

    assertThat(Files.readString(fx.deployment("v1.0.0").resolve("etc/op-dbus/version")))
        .isEqualTo("v1.0.0\n");
    Path cache = fx.layout().cache(Version.parse("v1.0.0"));
    try (Stream<Path> files = Files.list(cache)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("only the signed index is copied")
          .containsExactlyInAnyOrder(
              AssetNames.SHA256SUMS,
              AssetNames.SHA256SUMS_SIGNATURE,
              "op-dbus-v1.0.0.manifest.json");
    }
    assertThat(Files.readAllBytes(storeStream()))
        .as("the store's file is left as it was")
        .isEqualTo(before);
    assertThat(fx.agent().status().pendingDownloads()).isEmpty();
  }

  @Test
  void streamReplacedAfterVerificationByAnotherValidStreamIsReceivedThenDeleted() throws Exception {
    // The same send stream compressed differently: it receives fine, but it is not what was
    // verified.
    Path recompressed = tempDir.resolve("recompressed.zst");
    try (InputStream in = new ZstdInputStream(Files.newInputStream(storeStream()));
        OutputStream out = new ZstdOutputStream(Files.newOutputStream(recompressed), 1)) {
      in.transferTo(out);
    }
    ProgressListener swapBeforeReceive =
        new ProgressListener() {
          @Override
          public void stepStarted(String name) {
            if (name.startsWith("receive")) {
              move(recompressed, storeStream());
            }
          }
        };

    assertChangedAfterVerification(swapBeforeReceive);
    assertThat(fx.runner.ran("btrfs -q receive -C -e " + fx.layout().deployments()))
        .as("the receive ran")
        .isTrue();
  }

  @Test
  void streamCorruptedAfterVerificationFailsVerificationEvenWhenTheReceiveFails() throws Exception {
    ProgressListener corruptBeforeReceive =
        new ProgressListener() {
          @Override
          public void stepStarted(String name) {
            if (name.startsWith("receive")) {
              try (RandomAccessFile raf = new RandomAccessFile(storeStream().toFile(), "rw")) {
                raf.seek(raf.length() / 2);
                raf.write(new byte[4096]);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }
          }
        };

    assertChangedAfterVerification(corruptBeforeReceive);
  }

  private void assertChangedAfterVerification(ProgressListener hook) throws Exception {
    assertThatThrownBy(() -> fx.agent(hook).deploy(Version.parse("v1.0.0"), fx.source, false))
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining(STREAM + " changed after it was verified")
        .hasMessageContaining("the received subvolume was deleted")
        .satisfies(
            e ->
                assertThat(((OpdeployException) e).exitCode())
                    .isEqualTo(ExitCode.VERIFICATION_FAILED));
    assertThat(fx.deployment("v1.0.0")).doesNotExist();
    assertThat(fx.layout().staging()).isEmptyDirectory();
    assertThat(fx.agent().status().installed()).isEmpty();
    assertThat(fx.state().highestOnTrackOf(Version.parse("v1.0.0"))).isEmpty();
  }

  private static void move(Path from, Path to) {
    try {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
