package org.opdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.seal.ThrowawayKey;
import org.opdeploy.version.Version;

/** Every refusal is exit 3, names what failed, and happens before {@code btrfs receive} starts. */
class TargetVerificationIT {
  @TempDir Path tempDir;
  private TargetFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = new TargetFixture(tempDir, 512);
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  private void assertRefusedBeforeReceive(ThrowingCallable deploy, String messagePart)
      throws Exception {
    fx.runner.clear();
    assertThatThrownBy(deploy)
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining(messagePart)
        .satisfies(
            e ->
                assertThat(((OpdeployException) e).exitCode())
                    .isEqualTo(ExitCode.VERIFICATION_FAILED));
    assertThat(fx.runner.commands()).noneMatch(c -> c.contains("receive"));
    assertThat(fx.deployment("v2.0.0")).doesNotExist();
  }

  private static void flipByte(Path file, long offset) throws Exception {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      int b = raf.read();
      raf.seek(offset);
      raf.write(b ^ 0x01);
    }
  }

  @Test
  void tamperedStreamIsRefusedNamingTheFile() throws Exception {
    fx.publish("v2.0.0", null);
    Path stream = fx.releases.store().resolve("v2.0.0/op-dbus-v2.0.0.send.zst");
    flipByte(stream, Files.size(stream) / 2);

    assertRefusedBeforeReceive(
        () -> fx.agent().deploy(Version.parse("v2.0.0"), fx.source, false),
        "op-dbus-v2.0.0.send.zst does not match its SHA-256 in SHA256SUMS");
  }

  @Test
  void tamperedSha256sumsFailsTheSignature() throws Exception {
    fx.publish("v2.0.0", null);
    Path sums = fx.releases.store().resolve("v2.0.0").resolve(AssetNames.SHA256SUMS);
    // Another hex digit, so the file still parses and only the signature can catch it.
    byte[] bytes = Files.readAllBytes(sums);
    bytes[3] = (byte) (bytes[3] == '0' ? '1' : '0');
    Files.write(sums, bytes);

    assertRefusedBeforeReceive(
        () -> fx.agent().deploy(Version.parse("v2.0.0"), fx.source, false),
        "signature check failed for SHA256SUMS");
  }

  @Test
  void releaseSignedByAnUntrustedKeyIsRefused() throws Exception {
    fx.publish("v2.0.0", null);
    ThrowawayKey stranger = ThrowawayKey.generate("stranger <stranger@example.invalid>");

    assertRefusedBeforeReceive(
        () -> fx.agent(stranger).deploy(Version.parse("v2.0.0"), fx.source, false), "SHA256SUMS");
  }

  @Test
  void expiredManifestIsRefused() throws Exception {
    fx.releases.writePayload("v2.0.0", 0, 1024);
    fx.releases.release("v2.0.0", null, Instant.now().minusSeconds(60), 0);

    assertRefusedBeforeReceive(
        () -> fx.agent().deploy(Version.parse("v2.0.0"), fx.faults, false), "expired at");
    assertThat(fx.faults.requested("op-dbus-v2.0.0.send.zst"))
        .as("no stream is downloaded")
        .isFalse();
  }

  @Test
  void downgradeIsRefusedUnlessAllowed() throws Exception {
    fx.publish("v2.0.0", null);
    fx.publish("v2.1.0", "v2.0.0");
    fx.agent().deploy(Version.parse("v2.1.0"), fx.source, false);

    fx.runner.clear();
    assertThatThrownBy(() -> fx.agent().deploy(Version.parse("v2.0.0"), fx.source, false))
        .hasMessageContaining("v2.0.0 is older than v2.1.0")
        .satisfies(
            e ->
                assertThat(((OpdeployException) e).exitCode())
                    .isEqualTo(ExitCode.VERIFICATION_FAILED));
    assertThat(fx.runner.commands()).noneMatch(c -> c.contains("receive"));
    assertThat(fx.deployment("v2.0.0")).doesNotExist();

    fx.agent().deploy(Version.parse("v2.0.0"), fx.source, true);
    assertThat(fx.deployment("v2.0.0")).isDirectory();
    assertThat(fx.agent().verifyAudit()).as("a start and an end line per run").isEqualTo(6);
  }
}
