package org.opdeploy.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.VerificationException;
import org.opdeploy.testing.SampleRelease;

class ReleaseVerifierTest {
  private static ThrowawayKey key;
  private static ReleaseSigner signer;

  @TempDir Path dir;

  @BeforeAll
  static void key() throws Exception {
    key = ThrowawayKey.generate("Release <release@example.org>");
    signer =
        ReleaseSigner.fromEnvironment(Map.of("OPDEPLOY_SIGNING_KEY", key.armoredSecretKey()), null);
  }

  @BeforeEach
  void release() throws Exception {
    SampleRelease.write(dir, "op-dbus", "v1.2.0", 3, 4096);
  }

  @Test
  void sealedAndSignedReleaseVerifies() throws Exception {
    SealResult sealed = new SealReleaseStep(dir, signer).run();
    assertThat(sealed.signerFingerprint()).isEqualTo(key.fingerprint());
    assertThat(sealed.files()).hasSize(7);
    VerifiedRelease verified = new ReleaseVerifier(key.trustedKeys()).verify(dir, true);
    assertThat(verified.signerFingerprint()).isEqualTo(key.fingerprint());
    assertThat(verified.manifest().version()).hasToString("v1.2.0");
    assertThat(verified.checksums())
        .containsKeys("op-dbus-v1.2.0.send.zst.part002", "op-dbus-v1.2.0.manifest.json");
    assertThat(SampleRelease.read(dir.resolve("SHA256SUMS")))
        .startsWith(
            verified.checksums().get("op-dbus-v1.2.0.manifest.json")
                + "  op-dbus-v1.2.0.manifest.json\n");
  }

  @Test
  void tamperedPartIsRefusedNamingIt() throws Exception {
    new SealReleaseStep(dir, signer).run();
    Path part = dir.resolve("op-dbus-v1.2.0.send.zst.part001");
    byte[] bytes = Files.readAllBytes(part);
    bytes[100] ^= 0x40;
    Files.write(part, bytes);
    assertRefused("op-dbus-v1.2.0.send.zst.part001 does not match SHA256SUMS");
  }

  @Test
  void tamperedSha256sumsBreaksTheSignature() throws Exception {
    new SealReleaseStep(dir, signer).run();
    Path sums = dir.resolve("SHA256SUMS");
    Files.writeString(sums, SampleRelease.read(sums).replaceFirst("^.", "f"));
    assertRefused("BAD signature");
  }

  @Test
  void missingSignatureIsFatalOnlyWhenRequired() throws Exception {
    SealResult sealed = new SealReleaseStep(dir, null).run();
    assertThat(sealed.signature()).isNull();
    assertThat(new ReleaseVerifier(key.trustedKeys()).verify(dir, false).signerFingerprint())
        .isNull();
    assertRefused("SHA256SUMS.asc is missing");
  }

  @Test
  void requiredSignatureWithoutTrustedKeysIsBadInput() throws Exception {
    new SealReleaseStep(dir, signer).run();
    assertThatThrownBy(() -> new ReleaseVerifier(null).verify(dir, true))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("--trusted-keys");
  }

  @Test
  void unlistedFileIsRefused() throws Exception {
    new SealReleaseStep(dir, signer).run();
    Files.writeString(dir.resolve("extra.txt"), "surprise");
    assertRefused("extra.txt is in");
  }

  @Test
  void sidecarChecksumThatDisagreesIsRefusedAtSealTime() throws Exception {
    Files.writeString(
        dir.resolve("op-dbus-v1.2.0.send.zst.part000.sha256"),
        "0".repeat(64) + "  op-dbus-v1.2.0.send.zst.part000\n");
    assertThatThrownBy(() -> new SealReleaseStep(dir, signer).run())
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("part000.sha256 disagrees");
    assertThat(dir.resolve("SHA256SUMS")).doesNotExist();
  }

  @Test
  void partWithWrongSizeForTheManifestIsRefused() throws Exception {
    Files.write(dir.resolve("op-dbus-v1.2.0.send.zst.part002"), new byte[10]);
    Files.delete(dir.resolve("op-dbus-v1.2.0.send.zst.part002.sha256"));
    assertThatThrownBy(() -> new SealReleaseStep(dir, signer).run())
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("part002 does not match the sha256");
  }

  @Test
  void secondManifestIsRefused() throws Exception {
    Files.copy(
        dir.resolve("op-dbus-v1.2.0.manifest.json"), dir.resolve("op-dbus-v1.1.0.manifest.json"));
    assertThatThrownBy(() -> new SealReleaseStep(dir, signer).run())
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("exactly one *.manifest.json");
  }

  @Test
  void missingPartIsRefused() throws Exception {
    new SealReleaseStep(dir, signer).run();
    Files.delete(dir.resolve("op-dbus-v1.2.0.send.zst.part000"));
    assertRefused("op-dbus-v1.2.0.send.zst.part000 is listed in SHA256SUMS but missing");
  }

  @Test
  void resealingWithoutKeyRemovesAStaleSignature() throws Exception {
    new SealReleaseStep(dir, signer).run();
    Files.writeString(dir.resolve("notes.txt"), "added later");
    SealResult resealed = new SealReleaseStep(dir, null).run();
    assertThat(resealed.signature()).isNull();
    assertThat(dir.resolve("SHA256SUMS.asc")).doesNotExist();
  }

  @Test
  void verifyStepReportsTheSigner() throws Exception {
    new SealReleaseStep(dir, signer).run();
    assertThat(new VerifyReleaseStep(dir, key.trustedKeys(), true).run().signerFingerprint())
        .isEqualTo(key.fingerprint());
  }

  private void assertRefused(String message) {
    assertThatThrownBy(() -> new ReleaseVerifier(key.trustedKeys()).verify(dir, true))
        .isInstanceOfSatisfying(
            VerificationException.class,
            e -> assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFICATION_FAILED))
        .hasMessageContaining(message);
  }
}
