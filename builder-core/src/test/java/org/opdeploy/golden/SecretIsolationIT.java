package org.opdeploy.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opdeploy.btrfs.BtrfsCli;
import org.opdeploy.container.ContainerFactory;
import org.opdeploy.manifest.Compression;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.snapshot.SnapshotGoldenStep;
import org.opdeploy.stream.ReleaseContext;
import org.opdeploy.stream.SendSettings;
import org.opdeploy.stream.SendStreamStep;
import org.opdeploy.version.Version;

/**
 * Issue 10.1: the release secrets in opdeploy's environment reach no child. A golden step dumps the
 * environment of the container's PID 1, its own and its parent's into the golden; wrappers on the
 * PATH record the environment and command line of every {@code systemd-nspawn}, {@code unshare} and
 * {@code btrfs} opdeploy starts. None of it, nor the log, the golden, or the uncompressed send
 * stream, holds any of the three secret values.
 */
class SecretIsolationIT {
  private static final String TOKEN = "ghp_FAKEtoken7d1c0eSECRET";
  private static final String KEY_LINE = "FAKEkeyMaterial93abSECRET";
  private static final String PASSPHRASE = "FAKEpassphrase5e2fSECRET";
  private static final List<String> SECRET_VALUES = List.of(TOKEN, KEY_LINE, PASSPHRASE);
  private static final String DUMP =
      String.join(
          "\n",
          "{ echo '== pid1'; tr '\\0' '\\n' </proc/1/environ",
          "  echo '== self'; env",
          "  echo '== parent'; tr '\\0' '\\n' </proc/$PPID/environ 2>/dev/null || echo 'no parent in this namespace'",
          "} > /etc/op-dbus/environ-dump",
          "cat /etc/op-dbus/environ-dump");

  @TempDir Path tmp;
  GoldenFixture fx;
  Path record;
  ProcessRunner secretive;
  final List<String> log = new ArrayList<>();
  final ProgressListener listener =
      new ProgressListener() {
        @Override
        public synchronized void info(String line) {
          log.add(line);
        }

        @Override
        public synchronized void warn(String line) {
          log.add(line);
        }
      };

  @BeforeEach
  void setUp() throws Exception {
    fx = new GoldenFixture(tmp);
    record = tmp.resolve("children.record");
    Path wrappers = Files.createDirectories(tmp.resolve("wrappers"));
    for (String program : List.of("systemd-nspawn", "unshare", "btrfs")) {
      Path wrapper = wrappers.resolve(program);
      Files.writeString(
          wrapper,
          String.join(
              "\n",
              "#!/bin/sh",
              "{ printf '== %s' \"$0\"; printf ' %s' \"$@\"; echo; tr '\\0' '\\n' </proc/$$/environ; } >> "
                  + record,
              "exec " + hostPath(program) + " \"$@\"",
              ""));
      Files.setAttribute(wrapper, "unix:mode", 0755);
    }
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("PATH", wrappers + ":" + env.getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
    env.put("GITHUB_TOKEN", TOKEN);
    env.put(
        "OPDEPLOY_SIGNING_KEY",
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n"
            + KEY_LINE
            + "\n-----END PGP PRIVATE KEY BLOCK-----\n");
    env.put("OPDEPLOY_SIGNING_PASSPHRASE", PASSPHRASE);
    secretive = new ProcessRunner(env);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private static String hostPath(String program) {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return dir + "/" + program;
      }
    }
    throw new AssertionError(program + " is missing");
  }

  private void refresh(String runner) throws Exception {
    GoldenSpec spec = fx.withSteps("1m", Map.of("10-dump-environ.sh", DUMP));
    new RefreshGoldenStep(
            spec,
            fx.pool,
            new BtrfsCli(secretive),
            new ContainerFactory(secretive, listener).create(runner),
            new RefreshOptions(null, Version.parse("v1.0.0")),
            listener,
            secretive)
        .run();
  }

  @ParameterizedTest
  @ValueSource(strings = {"nspawn", "chroot"})
  void aStepSeesNoSecretInPidOneItselfOrItsParent(String runner) throws Exception {
    refresh(runner);

    String dump = fx.read("/etc/op-dbus/environ-dump");
    assertThat(dump).contains("== pid1\n", "== self\n", "== parent\n", "PATH=/usr/local/sbin:");
    assertNoSecretIn("the step's view (" + runner + ")", dump);
    assertNoSecretIn("the refresh log", String.join("\n", log));
    String children = Files.readString(record);
    assertThat(children)
        .contains(runner.equals("nspawn") ? "systemd-nspawn --quiet" : "unshare --mount");
    assertNoSecretIn("child environments and command lines", children);
    assertThat(children)
        .doesNotContain("GITHUB_TOKEN=", "OPDEPLOY_SIGNING_KEY=", "OPDEPLOY_SIGNING_PASSPHRASE=");
  }

  @Test
  void btrfsSendAndTheStreamItWritesCarryNoSecret() throws Exception {
    refresh("chroot");
    new SnapshotGoldenStep(fx.pool, new BtrfsCli(secretive), Version.parse("v1.0.0")).run();
    Files.deleteIfExists(record);
    Path out = tmp.resolve("out");
    new SendStreamStep(
            fx.pool,
            new BtrfsCli(secretive),
            SendSettings.of(Version.parse("v1.0.0"), out).withCompression(Compression.NONE),
            ReleaseContext.NONE,
            listener)
        .run();

    String children = Files.readString(record);
    assertThat(children).contains(" send ");
    assertNoSecretIn("btrfs send's environment and command line", children);
    try (Stream<Path> files = Files.walk(out)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertNoSecretIn(
            file.toString(), new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
      }
    }
    assertThat(
            new String(
                Files.readAllBytes(out.resolve("op-dbus-v1.0.0.send")),
                StandardCharsets.ISO_8859_1))
        .as("the stream carries the step's dump")
        .contains("== pid1");
  }

  private static void assertNoSecretIn(String where, String text) {
    for (String secret : SECRET_VALUES) {
      assertThat(text).as(where).doesNotContain(secret);
    }
  }
}
