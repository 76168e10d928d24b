package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.github.fake.FakeGitHub;
import org.opdeploy.seal.ReleaseVerifier;
import org.opdeploy.seal.ThrowawayKey;
import org.opdeploy.testing.SampleRelease;

/**
 * {@code publish --installer}: opdeploy's .deb goes to the GitHub release (fake, on loopback) and
 * into the SHA256SUMS the release's signature covers; {@code --installer none} leaves it out.
 */
class PublishInstallerTest {
  private static final String REPO = "acme/op-dbus";
  @TempDir Path dir;
  private FakeGitHub github;
  private ThrowawayKey key;
  private Map<String, String> env;

  @BeforeEach
  void setUp() throws Exception {
    github = FakeGitHub.start();
    key = ThrowawayKey.generate("Release <release@example.org>");
    env =
        Map.of(
            "GITHUB_API_URL",
            github.apiUrl(),
            "GITHUB_TOKEN",
            github.token(),
            "OPDEPLOY_SIGNING_KEY",
            key.armoredSecretKey());
  }

  @AfterEach
  void tearDown() {
    github.close();
  }

  @Test
  void theInstallerIsPublishedAndCoveredByTheSignedChecksums() throws Exception {
    Path out = SampleRelease.write(dir.resolve("out"), "op-dbus", "v1.0.0", 1, 4096);
    byte[] debBytes = "!<arch>\nopdeploy package".getBytes();
    Path deb = Files.write(dir.resolve("opdeploy_0.2.0_all.deb"), debBytes);

    CliRun run =
        CliRun.of(
            env,
            "publish",
            "v1.0.0",
            "--from",
            out.toString(),
            "--to",
            "github:" + REPO,
            "--installer",
            deb.toString());

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(github.release(REPO, "v1.0.0").orElseThrow().asset("opdeploy_0.2.0_all.deb").size())
        .isEqualTo(debBytes.length);
    String sha =
        HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(debBytes));
    assertThat(new ReleaseVerifier(key.trustedKeys()).verify(out, true).checksums())
        .containsEntry("opdeploy_0.2.0_all.deb", sha);
  }

  @Test
  void installerNoneAttachesNothing() throws Exception {
    Path out = SampleRelease.write(dir.resolve("out"), "op-dbus", "v1.0.0", 1, 4096);

    CliRun run =
        CliRun.of(
            env,
            "publish",
            "v1.0.0",
            "--from",
            out.toString(),
            "--to",
            "github:" + REPO,
            "--installer",
            "none");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(github.release(REPO, "v1.0.0").orElseThrow().assets())
        .extracting(a -> a.name())
        .noneMatch(name -> name.endsWith(".deb"));
  }
}
