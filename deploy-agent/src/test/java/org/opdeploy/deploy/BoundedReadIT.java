package org.opdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.manifest.IndexLimits;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.seal.ReleaseSigner;
import org.opdeploy.seal.SignatureCheck;
import org.opdeploy.secret.Secret;
import org.opdeploy.version.Version;

/**
 * Issue 10, items 4 and 14: the files read before trust is established are read within fixed caps
 * (an oversized one is refused with exit 3, an audit entry and no attempt to read it whole), the
 * manifest is parsed only once SHA256SUMS's signature and its own hash are proven, and a root off
 * btrfs is refused before anything is downloaded or created.
 */
class BoundedReadIT {
  private Version V2;

  @TempDir Path tempDir;
  private TargetFixture fx;
  private Path release;

  @BeforeEach
  void setUp() throws Exception {
    V2 = Version.parse("v2.0.0");
    fx = new TargetFixture(tempDir, 512);
    fx.publish("v2.0.0", null);
    release = fx.releases.store().resolve("v2.0.0");
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  @Test
  void hugeSha256sumsIsRefusedWithoutReadingItAndAudited() throws Exception {
    grow(release.resolve(AssetNames.SHA256SUMS), 300L << 20);

    assertRefused("SHA256SUMS at", "over the 1048576-byte limit");

    List<String> audit = Files.readAllLines(fx.layout().auditLog());
    assertThat(audit.get(audit.size() - 1))
        .contains("\"deploy\"")
        .contains("failed")
        .contains("\"3\"");
  }

  @Test
  void hugeSignatureIsRefusedBeforeItIsDownloaded() throws Exception {
    grow(release.resolve(AssetNames.SHA256SUMS_SIGNATURE), 300L << 20);

    assertRefused("SHA256SUMS.asc at", "over the 1048576-byte limit");
  }

  @Test
  void oversizedManifestIsRefusedEvenWhenProperlySigned() throws Exception {
    Path manifest = release.resolve(AssetNames.manifest(ReleaseFactory.NAME, V2));
    String json = Files.readString(manifest);
    Files.writeString(
        manifest, json + " ".repeat((int) IndexLimits.MANIFEST_MAX_BYTES), StandardCharsets.UTF_8);
    fx.releases.seal(release);

    assertRefused("op-dbus-v2.0.0.manifest.json at", "over the 4194304-byte limit");
  }

  @Test
  void oversizedSha256sumsIsRefusedEvenWhenProperlySigned() throws Exception {
    Path sums = release.resolve(AssetNames.SHA256SUMS);
    StringBuilder padding = new StringBuilder(Files.readString(sums));
    for (int i = 0; padding.length() <= IndexLimits.SHA256SUMS_MAX_BYTES; i++) {
      padding.append("0".repeat(64)).append("  padding-").append(i).append('\n');
    }
    Files.writeString(sums, padding);
    ReleaseSigner.of(Secret.of(fx.key.armoredSecretKey()), null, null).sign(release);

    assertRefused("SHA256SUMS at", "over the 1048576-byte limit");
  }

  @Test
  void manifestIsNotParsedBeforeItsHashIsProven() throws Exception {
    Path manifest = release.resolve(AssetNames.manifest(ReleaseFactory.NAME, V2));
    Files.writeString(manifest, "{ not a manifest");

    assertRefused("op-dbus-v2.0.0.manifest.json does not match its SHA-256 in SHA256SUMS", "");
  }

  @Test
  void manifestIsNotParsedBeforeTheSignatureIsProven() throws Exception {
    Path manifest = release.resolve(AssetNames.manifest(ReleaseFactory.NAME, V2));
    Files.writeString(manifest, "{ not a manifest");
    fx.releases.seal(release);
    // Signed by a key the target does not trust: the signature fails first, the garbage is never
    // parsed.
    TargetAgent untrusting =
        new TargetAgent(
            fx.settings,
            fx.runner,
            fx.services,
            SignatureCheck.trusting(
                org.opdeploy.seal.ThrowawayKey.generate("other <o@example.invalid>").trustedKeys()),
            ProgressListener.NONE,
            Clock.systemUTC(),
            Duration.ZERO);

    assertThatThrownBy(() -> untrusting.deploy(V2, fx.source, false))
        .hasMessageContaining("SHA256SUMS")
        .hasMessageNotContaining("not a valid manifest")
        .satisfies(
            e ->
                assertThat(((OpdeployException) e).exitCode())
                    .isEqualTo(ExitCode.VERIFICATION_FAILED));
  }

  @Test
  void rootOffBtrfsIsRefusedUpFrontWithNothingCreated() throws Exception {
    Path plain = Files.createDirectories(tempDir.resolve("ext4-root"));
    Path root = plain.resolve("op-dbus");
    TargetAgent agent =
        new TargetAgent(
            fx.settings.withRoot(root),
            fx.runner,
            fx.services,
            SignatureCheck.trusting(fx.key.trustedKeys()),
            ProgressListener.NONE,
            Clock.systemUTC(),
            Duration.ZERO);
    fx.runner.clear();

    assertThatThrownBy(() -> agent.deploy(V2, fx.source, false))
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining("root " + root + " (to be created in ")
        .hasMessageContaining("not btrfs")
        .satisfies(
            e -> assertThat(((OpdeployException) e).exitCode()).isEqualTo(ExitCode.BAD_INPUT));

    assertThat(plain).isEmptyDirectory();
    assertThat(fx.runner.commands()).isEmpty();
  }

  private void assertRefused(String what, String limit) throws Exception {
    assertThatThrownBy(() -> fx.agent().deploy(V2, fx.source, false))
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining(what)
        .hasMessageContaining(limit)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"))
        .satisfies(
            e ->
                assertThat(((OpdeployException) e).exitCode())
                    .isEqualTo(ExitCode.VERIFICATION_FAILED));
    assertThat(fx.layout().cache(V2)).doesNotExist();
    assertThat(fx.deployment("v2.0.0")).doesNotExist();
  }

  /** Makes {@code file} {@code bytes} long (sparse): too big to read whole into a small heap. */
  private static void grow(Path file, long bytes) throws Exception {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(bytes);
    }
  }
}
