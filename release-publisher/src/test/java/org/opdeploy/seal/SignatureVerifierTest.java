package org.opdeploy.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.VerificationException;

class SignatureVerifierTest {
  private static final byte[] DATA =
      "0123  op-dbus-v1.0.0.send.zst\n".getBytes(StandardCharsets.UTF_8);
  private static ThrowawayKey trusted;
  private static ThrowawayKey stranger;

  @BeforeAll
  static void keys() throws Exception {
    trusted = ThrowawayKey.generate("Release <release@example.org>");
    stranger = ThrowawayKey.generate("Mallory <mallory@example.org>");
  }

  private static ReleaseSigner signer(ThrowawayKey key) throws Exception {
    return ReleaseSigner.fromEnvironment(
        Map.of("OPDEPLOY_SIGNING_KEY", key.armoredSecretKey()), null);
  }

  private static TrustedKeys trustedKeys(ThrowawayKey... keys) throws Exception {
    StringBuilder file = new StringBuilder();
    for (ThrowawayKey key : keys) {
      file.append(key.armoredPublicKey());
    }
    return TrustedKeys.parse(file.toString().getBytes(StandardCharsets.US_ASCII), "trusted.asc");
  }

  @Test
  void goodSignatureByTrustedKeyReturnsItsFingerprint() throws Exception {
    byte[] signature = signer(trusted).signature(DATA).getBytes(StandardCharsets.US_ASCII);
    String fingerprint =
        new SignatureVerifier(trustedKeys(stranger, trusted))
            .verify(DATA, signature, "SHA256SUMS.asc");
    assertThat(fingerprint).isEqualTo(trusted.fingerprint()).matches("[0-9A-F]{40}");
  }

  @Test
  void trustedKeysFileWithSeveralArmoredBlocksListsEveryFingerprint() throws Exception {
    assertThat(trustedKeys(trusted, stranger).fingerprints())
        .containsExactly(trusted.fingerprint(), stranger.fingerprint());
  }

  @Test
  void changedDataIsRefusedWithExitThree() throws Exception {
    byte[] signature = signer(trusted).signature(DATA).getBytes(StandardCharsets.US_ASCII);
    byte[] changed = DATA.clone();
    changed[0] ^= 1;
    assertThatThrownBy(
            () ->
                new SignatureVerifier(trustedKeys(trusted))
                    .verify(changed, signature, "SHA256SUMS.asc"))
        .isInstanceOfSatisfying(
            VerificationException.class,
            e -> assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFICATION_FAILED))
        .hasMessageContaining("SHA256SUMS.asc")
        .hasMessageContaining("BAD signature");
  }

  @Test
  void signatureByUntrustedKeyIsRefused() throws Exception {
    byte[] signature = signer(stranger).signature(DATA).getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(
            () ->
                new SignatureVerifier(trustedKeys(trusted))
                    .verify(DATA, signature, "SHA256SUMS.asc"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining(stranger.fingerprint())
        .hasMessageContaining("not among the trusted keys");
  }

  @Test
  void sha1SignatureIsRefusedEvenFromTrustedKey() throws Exception {
    byte[] signature = TestSignatures.sign(trusted, DATA, HashAlgorithmTags.SHA1, new Date());
    assertThatThrownBy(
            () ->
                new SignatureVerifier(trustedKeys(trusted))
                    .verify(DATA, signature, "SHA256SUMS.asc"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("SHA-1");
  }

  @Test
  void sha512SignatureIsAccepted() throws Exception {
    byte[] signature = TestSignatures.sign(trusted, DATA, HashAlgorithmTags.SHA512, new Date());
    assertThat(new SignatureVerifier(trustedKeys(trusted)).verify(DATA, signature, "x"))
        .isEqualTo(trusted.fingerprint());
  }

  @Test
  void signatureByExpiredKeyIsRefused() throws Exception {
    ThrowawayKey expired =
        ThrowawayKey.generate(
            "Old <old@example.org>",
            null,
            Instant.now().minus(Duration.ofDays(3)),
            Duration.ofDays(1));
    byte[] signature =
        TestSignatures.sign(
            expired,
            DATA,
            HashAlgorithmTags.SHA256,
            Date.from(Instant.now().minus(Duration.ofDays(2).plusHours(12))));
    assertThatThrownBy(
            () ->
                new SignatureVerifier(trustedKeys(expired))
                    .verify(DATA, signature, "SHA256SUMS.asc"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("expired");
  }

  @Test
  void signatureFromTheFutureIsRefused() throws Exception {
    byte[] signature =
        TestSignatures.sign(
            trusted,
            DATA,
            HashAlgorithmTags.SHA256,
            Date.from(Instant.now().plus(Duration.ofDays(1))));
    assertThatThrownBy(
            () ->
                new SignatureVerifier(trustedKeys(trusted))
                    .verify(DATA, signature, "SHA256SUMS.asc"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("future");
  }

  @Test
  void garbageSignatureIsRefusedWithExitThree() {
    assertThatThrownBy(
            () ->
                new SignatureVerifier(trustedKeys(trusted))
                    .verify(
                        DATA,
                        "not a signature".getBytes(StandardCharsets.US_ASCII),
                        "SHA256SUMS.asc"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("SHA256SUMS.asc");
  }

  @Test
  void trustedKeysFileWithoutKeysIsBadInput() {
    assertThatThrownBy(
            () ->
                TrustedKeys.parse(
                    "hello".getBytes(StandardCharsets.US_ASCII), "/etc/opdeploy/trusted.asc"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("/etc/opdeploy/trusted.asc");
  }

  @Test
  void secretKeyInTrustedKeysFileIsRefused() {
    assertThatThrownBy(
            () ->
                TrustedKeys.parse(
                    trusted.armoredSecretKey().getBytes(StandardCharsets.US_ASCII), "t.asc"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("secret key");
  }

  @Test
  void missingTrustedKeysFileIsExitTwoNamingIt() {
    assertThatThrownBy(() -> TrustedKeys.load(java.nio.file.Path.of("/nonexistent/trusted.asc")))
        .isInstanceOfSatisfying(
            BadInputException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
        .hasMessageContaining("/nonexistent/trusted.asc");
  }
}
