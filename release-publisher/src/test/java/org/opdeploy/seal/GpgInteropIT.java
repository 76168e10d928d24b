package org.opdeploy.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opdeploy.error.VerificationException;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;
import org.opdeploy.testing.SampleRelease;

/** Our signatures against real gpg, and real gpg's signatures against our verifier. */
class GpgInteropIT {
  private static final String PASSPHRASE = "stub-export-passphrase-5521";

  @TempDir Path tmp;
  private Gpg gpg;
  private Path release;

  @BeforeEach
  void setUp() throws Exception {
    gpg = new Gpg();
    release = SampleRelease.write(tmp.resolve("release"), "op-dbus", "v1.0.0", 2, 50_000);
    new SealReleaseStep(release, null).run();
  }

  @AfterEach
  void tearDown() throws Exception {
    gpg.close();
  }

  private TrustedKeys trusted(String armored) throws Exception {
    return TrustedKeys.parse(armored.getBytes(StandardCharsets.US_ASCII), "trusted.asc");
  }

  private void gpgSign(String who, String... extra) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of(extra));
    args.addAll(
        List.of(
            "--passphrase",
            "",
            "--local-user",
            who + "!",
            "--armor",
            "--output",
            release.resolve("SHA256SUMS.asc").toString(),
            "--detach-sign",
            release.resolve("SHA256SUMS").toString()));
    gpg.run(args.toArray(String[]::new));
  }

  @Test
  void gpgVerifiesWhatWeSignAndSha256sumChecksTheFiles() throws Exception {
    ThrowawayKey key = ThrowawayKey.generate("Release <release@example.org>");
    Files.writeString(tmp.resolve("pub.asc"), key.armoredPublicKey());
    gpg.run("--import", tmp.resolve("pub.asc").toString());
    ReleaseSigner signer =
        ReleaseSigner.fromEnvironment(Map.of("OPDEPLOY_SIGNING_KEY", key.armoredSecretKey()), null);
    new SealReleaseStep(release, signer).run();

    var verify =
        gpg.run(
            "--status-fd",
            "2",
            "--verify",
            release.resolve("SHA256SUMS.asc").toString(),
            release.resolve("SHA256SUMS").toString());
    assertThat(verify.stderrTail())
        .contains("[GNUPG:] GOODSIG")
        .contains("VALIDSIG " + key.fingerprint());
    var check =
        new ProcessRunner()
            .run(
                ProcessSpec.of("sha256sum", "-c", "--strict", "SHA256SUMS")
                    .withWorkingDirectory(release));
    assertThat(check.stdout()).contains("op-dbus-v1.0.0.manifest.json: OK");
    // Binary document, SHA-256, issuer fingerprint, no compression packet.
    var packets = gpg.run("--list-packets", release.resolve("SHA256SUMS.asc").toString()).stdout();
    assertThat(packets)
        .contains("sigclass 0x00")
        .contains("digest algo 8")
        .contains("issuer fpr v4 " + key.fingerprint())
        .doesNotContain("compressed packet");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ed25519", "rsa3072"})
  void signatureMadeByGpgIsAccepted(String algorithm) throws Exception {
    gpg.run(
        "--passphrase",
        "",
        "--quick-gen-key",
        "Builder <" + algorithm + "@example.org>",
        algorithm,
        "sign",
        "never");
    String fingerprint = gpg.fingerprints(algorithm + "@example.org").get(0);
    gpgSign(fingerprint);
    VerifiedRelease verified =
        new ReleaseVerifier(trusted(gpg.export(fingerprint))).verify(release, true);
    assertThat(verified.signerFingerprint()).isEqualTo(fingerprint);
  }

  @Test
  void sha1SignatureFromGpgIsRefused() throws Exception {
    gpg.run(
        "--passphrase", "", "--quick-gen-key", "Old <old@example.org>", "ed25519", "sign", "never");
    String fingerprint = gpg.fingerprints("old@example.org").get(0);
    gpgSign(fingerprint, "--digest-algo", "SHA1");
    assertThatThrownBy(
            () -> new ReleaseVerifier(trusted(gpg.export(fingerprint))).verify(release, true))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("SHA-1");
  }

  @Test
  void signatureByKeyThatHasSinceExpiredIsRefused() throws Exception {
    gpg.run(
        "--faked-system-time",
        "20200101T000000",
        "--passphrase",
        "",
        "--quick-gen-key",
        "Expired <expired@example.org>",
        "ed25519",
        "sign",
        "1d");
    String fingerprint = gpg.fingerprints("expired@example.org").get(0);
    gpgSign(fingerprint, "--faked-system-time", "20200101T120000!");
    assertThatThrownBy(
            () -> new ReleaseVerifier(trusted(gpg.export(fingerprint))).verify(release, true))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("expired on 2020-01-02");
  }

  @Test
  void signatureByRevokedKeyIsRefused() throws Exception {
    gpg.run(
        "--passphrase",
        "",
        "--quick-gen-key",
        "Revoked <revoked@example.org>",
        "ed25519",
        "sign",
        "never");
    String fingerprint = gpg.fingerprints("revoked@example.org").get(0);
    gpgSign(fingerprint);
    Path revocation = gpg.home().resolve("openpgp-revocs.d").resolve(fingerprint + ".rev");
    Path armored = tmp.resolve("revoke.asc");
    Files.writeString(armored, Files.readString(revocation).replace(":-----BEGIN", "-----BEGIN"));
    gpg.run("--import", armored.toString());
    assertThatThrownBy(
            () -> new ReleaseVerifier(trusted(gpg.export(fingerprint))).verify(release, true))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("is revoked");
  }

  @Test
  void signatureByUntrustedGpgKeyIsRefused() throws Exception {
    gpg.run(
        "--passphrase",
        "",
        "--quick-gen-key",
        "Mallory <m@example.org>",
        "ed25519",
        "sign",
        "never");
    gpgSign(gpg.fingerprints("m@example.org").get(0));
    ThrowawayKey ours = ThrowawayKey.generate("Release <release@example.org>");
    assertThatThrownBy(() -> new ReleaseVerifier(ours.trustedKeys()).verify(release, true))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("not among the trusted keys");
  }

  @Test
  void subkeysExportedWithAStubPrimarySignAndPinningPicksTheSubkey() throws Exception {
    gpg.run(
        "--passphrase",
        PASSPHRASE,
        "--quick-gen-key",
        "Offline <offline@example.org>",
        "ed25519",
        "cert",
        "never");
    String primary = gpg.fingerprints("offline@example.org").get(0);
    gpg.run("--passphrase", PASSPHRASE, "--quick-add-key", primary, "ed25519", "sign", "never");
    gpg.run("--passphrase", PASSPHRASE, "--quick-add-key", primary, "rsa3072", "sign", "never");
    List<String> all = gpg.fingerprints(primary);
    String firstSubkey = all.get(1);
    String secret =
        gpg.run("--passphrase", PASSPHRASE, "--armor", "--export-secret-subkeys", primary).stdout();
    Map<String, String> env =
        Map.of("OPDEPLOY_SIGNING_KEY", secret, "OPDEPLOY_SIGNING_PASSPHRASE", PASSPHRASE);

    ReleaseSigner signer = ReleaseSigner.fromEnvironment(env, firstSubkey.substring(24));
    assertThat(signer.fingerprint()).isEqualTo(primary);
    assertThat(signer.signingKeyFingerprint()).isEqualTo(firstSubkey);
    new SealReleaseStep(release, signer).run();

    var verify =
        gpg.run(
            "--status-fd",
            "2",
            "--verify",
            release.resolve("SHA256SUMS.asc").toString(),
            release.resolve("SHA256SUMS").toString());
    assertThat(verify.stderrTail()).contains("VALIDSIG " + firstSubkey);
    assertThat(
            new ReleaseVerifier(trusted(gpg.export(primary)))
                .verify(release, true)
                .signerFingerprint())
        .isEqualTo(primary);
    assertThat(ReleaseSigner.fromEnvironment(env, all.get(2)).signingKeyFingerprint())
        .isEqualTo(all.get(2));
  }
}
