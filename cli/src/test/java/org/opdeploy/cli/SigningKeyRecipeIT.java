package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.process.ProcessResult;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;
import org.opdeploy.seal.ReleaseSigner;
import org.opdeploy.testing.HostRequirements;

/**
 * The README's signing-key recipe, run exactly as written (taken from README.md, so the two cannot
 * drift) with real gpg in a throw-away GNUPGHOME; its key must then sign a release that gpg
 * verifies against the recipe's trusted.asc.
 */
class SigningKeyRecipeIT {
  private static final Path README =
      Path.of("..").toAbsolutePath().normalize().resolve("README.md");
  private static final String MARKER = "<!-- signing-key-recipe";
  private static final String PASSPHRASE = "recipe passphrase 4f1c";
  private final ProcessRunner runner = new ProcessRunner();
  @TempDir Path dir;
  Path gnupg;
  Path verifier;

  @BeforeEach
  void homes() throws Exception {
    HostRequirements.requireProgram("gpg", "gnupg");
    HostRequirements.requireProgram("gpgconf", "gnupg");
    gnupg = Files.createDirectories(dir.resolve("gnupg"));
    verifier = Files.createDirectories(dir.resolve("verifier"));
    for (Path home : List.of(gnupg, verifier)) {
      Files.setPosixFilePermissions(
          home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
  }

  @AfterEach
  void stopAgents() throws Exception {
    for (Path home : List.of(gnupg, verifier)) {
      runner.runAllowingFailure(
          ProcessSpec.of("gpgconf", "--kill", "all").withEnvironment(env(home)));
    }
  }

  private static Map<String, String> env(Path home) {
    return Map.of(
        "GNUPGHOME", home.toString(),
        "PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
        "HOME", home.toString());
  }

  /** The sh block after the marker, with the list item's indentation removed. */
  static String recipe() throws Exception {
    List<String> lines = Files.readAllLines(README);
    int at = 0;
    while (!lines.get(at).contains(MARKER)) {
      at++;
    }
    while (!lines.get(at).strip().equals("```sh")) {
      at++;
    }
    String indent = lines.get(at).substring(0, lines.get(at).indexOf('`'));
    List<String> block = new ArrayList<>();
    for (at++; !lines.get(at).strip().equals("```"); at++) {
      block.add(lines.get(at).startsWith(indent) ? lines.get(at).substring(indent.length()) : "");
    }
    return String.join("\n", block) + "\n";
  }

  private ProcessResult bash(String script, Path home, String stdin) throws Exception {
    return runner.runAllowingFailure(
        ProcessSpec.of("bash", "-euo", "pipefail", "-c", script)
            .withEnvironment(env(home))
            .withWorkingDirectory(dir)
            .withStdin(in -> in.write(stdin.getBytes(StandardCharsets.UTF_8)))
            .withMergedStderr());
  }

  private void sums() throws Exception {
    Files.writeString(
        dir.resolve("SHA256SUMS"),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  empty\n");
  }

  @Test
  void theReadmesRecipeMakesASubkeyThatSignsAReleaseGpgVerifies() throws Exception {
    String recipe = recipe();
    assertThat(recipe).contains("--export-secret-subkeys").contains("sign");

    ProcessResult made = bash(recipe, gnupg, PASSPHRASE + "\n");
    assertThat(made.exitCode()).as(made.stdout()).isZero();
    assertThat(made.stdout()).doesNotContain(PASSPHRASE);

    sums();
    ReleaseSigner signer =
        ReleaseSigner.fromEnvironment(
            Map.of(
                "OPDEPLOY_SIGNING_KEY",
                "@" + dir.resolve("signing-key.asc"),
                "OPDEPLOY_SIGNING_PASSPHRASE",
                PASSPHRASE),
            null);
    assertThat(signer.signingKeyFingerprint())
        .as("a subkey signs; the primary stays with whoever ran the recipe")
        .isNotEqualTo(signer.fingerprint());
    signer.sign(dir);

    ProcessResult verified =
        bash(
            "gpg --batch --import trusted.asc && gpg --batch --verify SHA256SUMS.asc SHA256SUMS",
            verifier,
            "");
    assertThat(verified.exitCode()).as(verified.stdout()).isZero();
    assertThat(verified.stdout()).contains("Good signature from \"op-dbus releases");
  }

  @Test
  void theOldRecipesPrimaryOnlyKeyExportsAStubThatCannotSign() throws Exception {
    String old =
        "gpg --batch --pinentry-mode loopback --passphrase '' --quick-gen-key"
            + " 'op-dbus releases <releases@example.com>' ed25519 sign 2y\n"
            + "gpg --batch --pinentry-mode loopback --passphrase '' --armor"
            + " --export-secret-subkeys releases@example.com > signing-key.asc\n";
    assertThat(bash(old, gnupg, "").exitCode()).isZero();
    assertThatThrownBy(
            () ->
                ReleaseSigner.fromEnvironment(
                    Map.of("OPDEPLOY_SIGNING_KEY", "@" + dir.resolve("signing-key.asc")), null))
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining("no key in OPDEPLOY_SIGNING_KEY can sign");
  }
}
