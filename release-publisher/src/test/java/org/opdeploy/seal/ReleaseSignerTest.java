package org.opdeploy.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.secret.Secret;

class ReleaseSignerTest {
  private static final String PASSPHRASE = "correct horse battery staple 7301";

  @TempDir Path dir;

  @Test
  void noKeyConfiguredMeansNoSigner() throws Exception {
    assertThat(ReleaseSigner.fromEnvironment(Map.of("OPDEPLOY_SIGNING_PASSPHRASE", "x"), null))
        .isNull();
    assertThat(ReleaseSigner.fromEnvironment(Map.of("OPDEPLOY_SIGNING_KEY", ""), null)).isNull();
  }

  @Test
  void signsSha256sumsAndTheSignatureVerifies() throws Exception {
    ThrowawayKey key = ThrowawayKey.generate("Release <release@example.org>");
    Files.writeString(dir.resolve("SHA256SUMS"), "00  a\n");
    ReleaseSigner signer =
        ReleaseSigner.fromEnvironment(Map.of("OPDEPLOY_SIGNING_KEY", key.armoredSecretKey()), null);
    signer.sign(dir);
    String armored = Files.readString(dir.resolve("SHA256SUMS.asc"));
    assertThat(armored).startsWith("-----BEGIN PGP SIGNATURE-----").doesNotContain("Version:");
    assertThat(
            new SignatureVerifier(key.trustedKeys())
                .verify(
                    Files.readAllBytes(dir.resolve("SHA256SUMS")),
                    armored.getBytes(StandardCharsets.US_ASCII),
                    "SHA256SUMS.asc"))
        .isEqualTo(key.fingerprint());
    assertThat(signer.fingerprint()).isEqualTo(key.fingerprint());
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("SHA256SUMS", "SHA256SUMS.asc");
    }
  }

  @Test
  void keyFromFileNamedWithAtSigns() throws Exception {
    ThrowawayKey key = ThrowawayKey.generate("Release <release@example.org>");
    Path file = dir.resolve("key.asc");
    Files.writeString(file, key.armoredSecretKey());
    ReleaseSigner signer =
        ReleaseSigner.fromEnvironment(Map.of("OPDEPLOY_SIGNING_KEY", "@" + file), null);
    assertThat(signer.fingerprint()).isEqualTo(key.fingerprint());
  }

  @Test
  void missingKeyFileIsBadInputNamingThePath() {
    assertThatThrownBy(
            () ->
                ReleaseSigner.fromEnvironment(
                    Map.of("OPDEPLOY_SIGNING_KEY", "@/nonexistent/k.asc"), null))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("/nonexistent/k.asc");
  }

  @Test
  void passphraseProtectedKeyUnlocksWithTheRightPassphrase() throws Exception {
    ThrowawayKey key =
        ThrowawayKey.generate("R <r@example.org>", Secret.of(PASSPHRASE), Instant.now(), null);
    ReleaseSigner signer =
        ReleaseSigner.fromEnvironment(
            Map.of(
                "OPDEPLOY_SIGNING_KEY",
                key.armoredSecretKey(),
                "OPDEPLOY_SIGNING_PASSPHRASE",
                PASSPHRASE),
            null);
    assertThat(signer.fingerprint()).isEqualTo(key.fingerprint());
    assertThat(signer.toString()).doesNotContain(PASSPHRASE);
  }

  @Test
  void wrongPassphraseIsExitOneAndNeverEchoed() throws Exception {
    ThrowawayKey key =
        ThrowawayKey.generate("R <r@example.org>", Secret.of(PASSPHRASE), Instant.now(), null);
    String wrong = "wrong-passphrase-4471";
    Map<String, String> env =
        Map.of(
            "OPDEPLOY_SIGNING_KEY", key.armoredSecretKey(), "OPDEPLOY_SIGNING_PASSPHRASE", wrong);
    assertThatThrownBy(() -> ReleaseSigner.fromEnvironment(env, null))
        .isInstanceOfSatisfying(
            OpdeployException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED);
              assertThat(e.getMessage())
                  .contains("OPDEPLOY_SIGNING_PASSPHRASE is wrong")
                  .contains(key.fingerprint())
                  .doesNotContain(wrong)
                  .doesNotContain(PASSPHRASE)
                  .doesNotContain("PRIVATE KEY");
              assertThat(e.getCause()).isNull();
            });
  }

  @Test
  void protectedKeyWithoutPassphraseSaysWhatToSet() throws Exception {
    ThrowawayKey key =
        ThrowawayKey.generate("R <r@example.org>", Secret.of(PASSPHRASE), Instant.now(), null);
    assertThatThrownBy(
            () ->
                ReleaseSigner.fromEnvironment(
                    Map.of("OPDEPLOY_SIGNING_KEY", key.armoredSecretKey()), null))
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining("set OPDEPLOY_SIGNING_PASSPHRASE");
  }

  @Test
  void pinnedKeyIdPicksTheRightKeyAmongSeveral() throws Exception {
    ThrowawayKey first = ThrowawayKey.generate("A <a@example.org>");
    ThrowawayKey second = ThrowawayKey.generate("B <b@example.org>");
    String both = first.armoredSecretKey() + second.armoredSecretKey();
    String longKeyId = second.fingerprint().substring(24);
    ReleaseSigner bySuffix =
        ReleaseSigner.fromEnvironment(Map.of("OPDEPLOY_SIGNING_KEY", both), "0x" + longKeyId);
    assertThat(bySuffix.fingerprint()).isEqualTo(second.fingerprint());
    ReleaseSigner byFingerprint =
        ReleaseSigner.fromEnvironment(Map.of("OPDEPLOY_SIGNING_KEY", both), first.fingerprint());
    assertThat(byFingerprint.fingerprint()).isEqualTo(first.fingerprint());
  }

  @Test
  void severalSigningKeysWithoutPinAskForSigningKeyId() throws Exception {
    String both =
        ThrowawayKey.generate("A <a@example.org>").armoredSecretKey()
            + ThrowawayKey.generate("B <b@example.org>").armoredSecretKey();
    assertThatThrownBy(
            () -> ReleaseSigner.fromEnvironment(Map.of("OPDEPLOY_SIGNING_KEY", both), null))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("signing-key-id");
  }

  @Test
  void pinMatchingNoKeyIsBadInput() throws Exception {
    ThrowawayKey key = ThrowawayKey.generate("A <a@example.org>");
    assertThatThrownBy(
            () ->
                ReleaseSigner.fromEnvironment(
                    Map.of("OPDEPLOY_SIGNING_KEY", key.armoredSecretKey()), "DEADBEEFDEADBEEF"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("matches no key")
        .hasMessageContaining(key.fingerprint());
  }

  @Test
  void expiredKeyIsNotUsedToSign() throws Exception {
    ThrowawayKey expired =
        ThrowawayKey.generate(
            "Old <old@example.org>",
            null,
            Instant.now().minus(Duration.ofDays(3)),
            Duration.ofDays(1));
    assertThatThrownBy(
            () ->
                ReleaseSigner.fromEnvironment(
                    Map.of("OPDEPLOY_SIGNING_KEY", expired.armoredSecretKey()), null))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("expired");
  }

  @Test
  void publicKeyInsteadOfSecretKeySaysHowToExport() throws Exception {
    ThrowawayKey key = ThrowawayKey.generate("A <a@example.org>");
    assertThatThrownBy(
            () ->
                ReleaseSigner.fromEnvironment(
                    Map.of("OPDEPLOY_SIGNING_KEY", key.armoredPublicKey()), null))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("only a public key")
        .hasMessageContaining("--export-secret-subkeys");
  }

  @Test
  void garbageKeyMaterialIsNeverQuoted() {
    String material =
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nc2VjcmV0LXRleHQtOTk4\n-----END PGP PRIVATE KEY BLOCK-----\n";
    assertThatThrownBy(
            () -> ReleaseSigner.fromEnvironment(Map.of("OPDEPLOY_SIGNING_KEY", material), null))
        .isInstanceOf(BadInputException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .doesNotContain("c2VjcmV0")
                    .doesNotContain("secret-text"));
  }
}
