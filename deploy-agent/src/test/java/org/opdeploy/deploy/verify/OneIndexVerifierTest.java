package org.opdeploy.deploy.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.deploy.state.StateFile;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.VerificationException;
import org.opdeploy.hash.Sha256;
import org.opdeploy.manifest.Checksums;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.manifest.ManifestCodec;
import org.opdeploy.seal.ReleaseSigner;
import org.opdeploy.seal.ReleaseVerifier;
import org.opdeploy.seal.SealReleaseStep;
import org.opdeploy.seal.SignatureCheck;
import org.opdeploy.seal.ThrowawayKey;
import org.opdeploy.testing.SampleRelease;
import org.opdeploy.version.Version;

/**
 * Build-side {@code verify} and the target prove a release's signed index with one verifier: a
 * broken index is refused by both, exit 3, with the same message.
 */
class OneIndexVerifierTest {
  private static final String MANIFEST = "op-dbus-v1.2.0.manifest.json";
  private static ThrowawayKey key;
  private static ReleaseSigner signer;

  @TempDir Path dir;
  @TempDir Path root;

  @BeforeAll
  static void key() throws Exception {
    key = ThrowawayKey.generate("Release <release@example.org>");
    signer =
        ReleaseSigner.fromEnvironment(Map.of("OPDEPLOY_SIGNING_KEY", key.armoredSecretKey()), null);
  }

  @BeforeEach
  void sealedRelease() throws Exception {
    SampleRelease.write(dir, "op-dbus", "v1.2.0", 2, 4096);
    new SealReleaseStep(dir, signer).run();
  }

  @Test
  void aSoundReleasePassesBothWithTheSameSigner() throws Exception {
    assertThat(target().verifyIndex(Version.parse("v1.2.0"), dir, MANIFEST).signer())
        .isEqualTo(new ReleaseVerifier(key.trustedKeys()).verify(dir, true).signerFingerprint())
        .isEqualTo(key.fingerprint());
  }

  @Test
  void aManifestChangedAfterSigningIsRefusedAlikeOnBothSides() throws Exception {
    Files.writeString(dir.resolve(MANIFEST), " ", java.nio.file.StandardOpenOption.APPEND);

    assertSameRefusal(MANIFEST + " does not match its SHA-256 in SHA256SUMS");
  }

  @Test
  void aSignatureByAStrangerIsRefusedAlikeOnBothSides() throws Exception {
    ThrowawayKey stranger = ThrowawayKey.generate("Stranger <s@example.org>");
    ReleaseSigner.fromEnvironment(Map.of("OPDEPLOY_SIGNING_KEY", stranger.armoredSecretKey()), null)
        .sign(dir);

    assertSameRefusal("not among the trusted keys");
  }

  @Test
  void aMissingSignatureIsRefusedAlikeOnBothSides() throws Exception {
    Files.delete(dir.resolve("SHA256SUMS.asc"));

    assertSameRefusal("SHA256SUMS.asc is missing in " + dir);
  }

  @Test
  void aSignedManifestThatDisagreesWithSha256SumsIsRefusedAlikeOnBothSides() throws Exception {
    Manifest m = ManifestCodec.decode(Files.readAllBytes(dir.resolve(MANIFEST)), MANIFEST);
    Manifest.Stream s = m.streams().get(0);
    Manifest.StreamFile first = s.files().get(0);
    Manifest.StreamFile wrong = new Manifest.StreamFile(first.name(), first.size(), "0".repeat(64));
    java.util.List<Manifest.StreamFile> files = new java.util.ArrayList<>(s.files());
    files.set(0, wrong);
    Manifest changed =
        new Manifest(
            m.format(),
            m.name(),
            m.version(),
            m.created(),
            m.expires(),
            m.source(),
            m.subvolume(),
            m.btrfs(),
            m.service(),
            m.health(),
            java.util.List.of(
                new Manifest.Stream(s.kind(), s.parent(), s.compression(), files, s.streamSize())),
            m.serviceAccount());
    byte[] bytes = ManifestCodec.encode(changed);
    Files.write(dir.resolve(MANIFEST), bytes);
    Map<String, String> sums = new TreeMap<>(Checksums.read(dir.resolve("SHA256SUMS")));
    sums.put(MANIFEST, Sha256.of(bytes));
    Files.writeString(dir.resolve("SHA256SUMS"), Checksums.render(sums), StandardCharsets.UTF_8);
    signer.sign(dir); // what a broken build would sign

    assertSameRefusal(first.name() + " does not match the sha256 in " + MANIFEST);
  }

  private void assertSameRefusal(String part) throws Exception {
    VerificationException build =
        catchThrowableOfType(
            () -> new ReleaseVerifier(key.trustedKeys()).verify(dir, true),
            VerificationException.class);
    VerificationException target =
        catchThrowableOfType(
            () -> target().verifyIndex(Version.parse("v1.2.0"), dir, MANIFEST),
            VerificationException.class);
    assertThat(build).as("build side refuses").isNotNull();
    assertThat(target).as("target refuses").isNotNull();
    assertThat(build.exitCode()).isEqualTo(ExitCode.VERIFICATION_FAILED);
    assertThat(target.getMessage()).isEqualTo(build.getMessage()).contains(part);
  }

  private VerifyFetchedReleaseStep target() {
    return new VerifyFetchedReleaseStep(
        SignatureCheck.trusting(key.trustedKeys()),
        new ManifestRules(Clock.systemUTC(), false),
        new StateFile(root.resolve("state.json")));
  }
}
