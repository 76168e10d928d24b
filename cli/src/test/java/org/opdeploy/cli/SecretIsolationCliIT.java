package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10.1 as a user meets it: opdeploy runs as its own process with GITHUB_TOKEN, the armored
 * signing key and its passphrase in its real environment. A golden step dumps what it can see (the
 * container's PID 1, itself, its parent) into the golden; wrappers on the PATH record the
 * environment and command line of every systemd-nspawn and btrfs opdeploy starts. No secret is in
 * any of that, in opdeploy's output, in the pool's files or in the (uncompressed) signed release.
 */
class SecretIsolationCliIT {
  private static final String TOKEN = "ghp_FAKEcliToken4b21SECRET";
  private static final String PASSPHRASE = "FAKEcliPassphrase90aaSECRET";

  @TempDir Path dir;
  private TwoHosts hosts;
  private Path record;
  private String keyLine;
  private final List<String> outputs = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    hosts = TwoHosts.create(dir, PASSPHRASE);
    keyLine =
        hosts
            .key
            .armoredSecretKey()
            .lines()
            .filter(l -> l.length() > 40)
            .skip(2)
            .findFirst()
            .orElseThrow();
    Path golden = dir.resolve("golden");
    Files.writeString(
        golden.resolve("steps/20-dump-environ.sh"),
        String.join(
            "\n",
            "#!/bin/sh",
            "{ echo '== pid1'; tr '\\0' '\\n' </proc/1/environ; echo '== self'; env",
            "  echo '== parent'; tr '\\0' '\\n' </proc/$PPID/environ 2>/dev/null; } > /etc/op-dbus/environ-dump",
            ""));
    Files.setAttribute(golden.resolve("steps/20-dump-environ.sh"), "unix:mode", 0755);
    Path yaml = golden.resolve("golden.yaml");
    Files.writeString(
        yaml,
        Files.readString(yaml)
            .replace(
                "  - steps/10-build-info.sh\n",
                "  - steps/10-build-info.sh\n  - steps/20-dump-environ.sh\n"));
    record = dir.resolve("children.record");
    Path wrappers = Files.createDirectories(dir.resolve("wrappers"));
    for (String program : List.of("systemd-nspawn", "btrfs")) {
      Path wrapper = wrappers.resolve(program);
      Files.writeString(
          wrapper,
          String.join(
              "\n",
              "#!/bin/sh",
              "{ printf '== %s' \"$0\"; printf ' %s' \"$@\"; echo; tr '\\0' '\\n' </proc/$$/environ; } >> "
                  + record,
              "exec /usr/bin/" + program + " \"$@\"",
              ""));
      Files.setAttribute(wrapper, "unix:mode", 0755);
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    hosts.close();
  }

  /** opdeploy in its own JVM, the secrets in its real environment. */
  private int opdeploy(String... args) throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove("GITHUB_ACTIONS");
    env.putAll(hosts.env);
    env.put("GITHUB_TOKEN", TOKEN);
    env.put(
        "PATH",
        dir.resolve("wrappers") + ":" + env.getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
    List<String> argv =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of("target/opdeploy.jar").toAbsolutePath().toString(),
                "--pool",
                hosts.pool().toString(),
                "--golden",
                dir.resolve("golden").toString()));
    argv.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    outputs.add(output);
    return process.exitValue();
  }

  @Test
  void noSecretReachesAChildAStepTheGoldenTheReleaseOrTheOutput() throws Exception {
    assertThat(Path.of("target/opdeploy.jar"))
        .as("built by mvn package before the ITs")
        .isRegularFile();
    Path out = dir.resolve("out");
    assertThat(opdeploy("golden", "refresh", "--runner", "nspawn"))
        .as(String.join("\n", outputs))
        .isZero();
    assertThat(opdeploy("snapshot", "v1.0.0")).as(String.join("\n", outputs)).isZero();
    assertThat(opdeploy("send", "v1.0.0", "--compress", "none", "--out", out.toString()))
        .as(String.join("\n", outputs))
        .isZero();

    String dump =
        Files.readString(hosts.pool().resolve("@op-dbus-v1.0.0/etc/op-dbus/environ-dump"));
    assertThat(dump).contains("== pid1\n", "== self\n", "PATH=");
    assertClean("the step's view", dump);
    String children = Files.readString(record);
    assertThat(children).contains("systemd-nspawn --quiet", " send ");
    assertClean("child environments and command lines", children);
    assertClean("opdeploy's output", String.join("\n", outputs));
    assertThat(out.resolve("SHA256SUMS.asc"))
        .as("the key was used, so it was there")
        .isRegularFile();
    for (Path tree : List.of(out, hosts.pool().resolve(".opdeploy"))) {
      try (Stream<Path> files = Files.walk(tree)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          assertClean(
              file.toString(), new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        }
      }
    }
    assertThat(
            new String(
                Files.readAllBytes(out.resolve("op-dbus-v1.0.0.send")),
                StandardCharsets.ISO_8859_1))
        .as("the uncompressed stream carries the dump")
        .contains("== pid1");
  }

  private void assertClean(String where, String text) {
    assertThat(text)
        .as(where)
        .doesNotContain(TOKEN)
        .doesNotContain(PASSPHRASE)
        .doesNotContain(keyLine);
  }
}
