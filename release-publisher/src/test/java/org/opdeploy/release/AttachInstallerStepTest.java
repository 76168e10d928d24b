package org.opdeploy.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.BadInputException;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.seal.ReleaseSigner;
import org.opdeploy.seal.ReleaseVerifier;
import org.opdeploy.seal.SealReleaseStep;
import org.opdeploy.seal.ThrowawayKey;
import org.opdeploy.seal.VerifiedRelease;
import org.opdeploy.store.DirectoryStore;
import org.opdeploy.store.PublishRequest;
import org.opdeploy.testing.SampleRelease;
import org.opdeploy.version.Version;

class AttachInstallerStepTest {
  private static ThrowawayKey key;
  private static ReleaseSigner signer;
  @TempDir Path tmp;

  @BeforeAll
  static void key() throws Exception {
    key = ThrowawayKey.generate("Release <release@example.org>");
    signer =
        ReleaseSigner.fromEnvironment(Map.of("OPDEPLOY_SIGNING_KEY", key.armoredSecretKey()), null);
  }

  private Path deb(String name) throws Exception {
    return Files.write(tmp.resolve(name), "!<arch>\ndebian-binary...".getBytes());
  }

  private static PublishRequest request(Path dir) throws Exception {
    return new PublishRequest(Version.parse("v1.0.0"), dir, "v1.0.0", "", false, false);
  }

  @Test
  void anAlreadySignedReleaseIsResignedWithThePackageCoveredUnderAGitHubSafeName()
      throws Exception {
    Path dir = SampleRelease.write(tmp.resolve("out"), "op-dbus", "v1.0.0", 1, 1000);
    new SealReleaseStep(dir, signer).run();
    Path deb = deb("opdeploy_1.0.0~rc1_all.deb");

    new SealAndPublish(
            new DirectoryStore(tmp.resolve("store")),
            signer,
            null,
            true,
            ProgressListener.NONE,
            deb)
        .run(request(dir));

    VerifiedRelease published =
        new ReleaseVerifier(key.trustedKeys()).verify(tmp.resolve("store/v1.0.0"), true);
    assertThat(published.checksums()).containsKey("opdeploy_1.0.0.rc1_all.deb");
    assertThat(tmp.resolve("store/v1.0.0/opdeploy_1.0.0.rc1_all.deb")).hasSameBinaryContentAs(deb);
  }

  @Test
  void aSignedReleaseWithoutASigningKeyIsRefusedAndLeftAsItWas() throws Exception {
    Path dir = SampleRelease.write(tmp.resolve("out"), "op-dbus", "v1.0.0", 1, 1000);
    new SealReleaseStep(dir, signer).run();
    byte[] sums = Files.readAllBytes(dir.resolve("SHA256SUMS"));

    assertThatThrownBy(() -> new AttachInstallerStep(deb("opdeploy_1.0.0_all.deb")).run(dir, false))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("OPDEPLOY_SIGNING_KEY")
        .hasMessageContaining("--installer none");
    assertThat(dir.resolve("opdeploy_1.0.0_all.deb")).doesNotExist();
    assertThat(dir.resolve("SHA256SUMS")).hasBinaryContent(sums);
    assertThat(dir.resolve("SHA256SUMS.asc")).exists();
  }

  @Test
  void attachingTheSamePackageAgainChangesNothing() throws Exception {
    Path dir = SampleRelease.write(tmp.resolve("out"), "op-dbus", "v1.0.0", 1, 1000);
    Path deb = deb("opdeploy_1.0.0_all.deb");
    assertThat(new AttachInstallerStep(deb).run(dir, true)).isTrue();
    new SealReleaseStep(dir, signer).run();

    assertThat(new AttachInstallerStep(deb).run(dir, false)).isFalse();
    assertThat(dir.resolve("SHA256SUMS.asc")).exists();
  }

  @Test
  void somethingElseThanAnOpdeployPackageIsRefused() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("out"));
    assertThatThrownBy(() -> new AttachInstallerStep(deb("evil.sh")).run(dir, true))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("opdeploy_VERSION_all.deb");
    assertThatThrownBy(
            () -> new AttachInstallerStep(tmp.resolve("opdeploy_1.0.0_all.deb")).run(dir, true))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("does not exist");
  }
}
