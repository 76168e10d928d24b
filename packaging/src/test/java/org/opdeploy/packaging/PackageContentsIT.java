package org.opdeploy.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opdeploy.process.ProcessResult;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;
import org.opdeploy.testing.HostRequirements;

/**
 * The .deb as the build left it, read without dpkg (ar, then the gzip'd tars): what it installs
 * where with which modes, its control fields and conffiles, the generated docs, and the jar in it
 * (at most 16 MB, zstd natives for Linux amd64 and aarch64 only). Runs after {@code package}.
 */
class PackageContentsIT {
  private static final Map<String, byte[]> control = new LinkedHashMap<>();
  private static final Map<String, TarArchiveEntry> data = new LinkedHashMap<>();
  private static final Map<String, byte[]> dataBytes = new LinkedHashMap<>();

  @BeforeAll
  static void read() throws IOException {
    try (ArArchiveInputStream ar =
        new ArArchiveInputStream(
            new BufferedInputStream(Files.newInputStream(PackageFiles.deb())))) {
      ArArchiveEntry member;
      while ((member = ar.getNextEntry()) != null) {
        byte[] bytes = ar.readAllBytes();
        if (member.getName().startsWith("control.tar")) {
          untar(bytes, control, null);
        } else if (member.getName().startsWith("data.tar")) {
          untar(bytes, dataBytes, data);
        }
      }
    }
  }

  private static void untar(
      byte[] gzipped, Map<String, byte[]> files, Map<String, TarArchiveEntry> entries)
      throws IOException {
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(gzipped)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String name = entry.getName().replaceFirst("^\\./", "/");
        files.put(name, entry.isFile() ? tar.readAllBytes() : new byte[0]);
        if (entries != null) {
          entries.put(name, entry);
        }
      }
    }
  }

  private static String text(Map<String, byte[]> files, String name) {
    assertThat(files).containsKey(name);
    return new String(files.get(name), StandardCharsets.UTF_8);
  }

  @Test
  void controlNamesTheJavaRuntimeAndBtrfsProgsAndTheConfigIsAConffile() {
    String fields = text(control, "/control");
    assertThat(fields)
        .contains(
            "Package: opdeploy\n",
            "Architecture: all\n",
            "Depends: openjdk-17-jre-headless | java17-runtime-headless, btrfs-progs\n");
    assertThat(text(control, "/conffiles").lines()).containsExactly("/etc/opdeploy/opdeploy.yaml");
    assertThat(control).containsKeys("/md5sums", "/postinst", "/prerm", "/postrm");
  }

  @Test
  void installsTheLauncherUnitsDocsAndCompletionWithPlainModesOwnedByRoot() {
    assertThat(data)
        .containsKeys(
            "/usr/share/opdeploy/opdeploy.jar",
            "/usr/bin/opdeploy",
            "/lib/systemd/system/opdeploy-upgrade.service",
            "/lib/systemd/system/opdeploy-upgrade.timer",
            "/lib/systemd/system/opdeploy-boot.service",
            "/etc/opdeploy/opdeploy.yaml",
            "/usr/share/man/man1/opdeploy.1.gz",
            "/usr/share/doc/opdeploy/copyright",
            "/usr/share/doc/opdeploy/changelog.gz",
            "/usr/share/bash-completion/completions/opdeploy",
            "/usr/share/zsh/vendor-completions/_opdeploy",
            "/usr/share/fish/vendor_completions.d/opdeploy.fish");
    assertThat(data.get("/usr/bin/opdeploy").getMode() & 07777).isEqualTo(0755);
    data.forEach(
        (name, entry) -> {
          assertThat(entry.getUserName()).as(name).isEqualTo("root");
          assertThat(entry.getMode() & 07777).as(name).isIn(0644, 0755);
        });
    assertThat(text(dataBytes, "/usr/bin/opdeploy"))
        .contains("/usr/share/opdeploy/opdeploy.jar")
        .contains("/var/cache/opdeploy/opdeploy.jsa")
        .doesNotContain("mvn");
    assertThat(text(dataBytes, "/lib/systemd/system/opdeploy-upgrade.service"))
        .contains("ExecStart=/usr/bin/opdeploy upgrade latest");
    assertThat(text(dataBytes, "/lib/systemd/system/opdeploy-upgrade.timer"))
        .contains("RandomizedDelaySec=");
  }

  @Test
  void manPageAndChangelogAreGzipAtMaximumCompressionWithNoTimestamp() throws IOException {
    for (String name :
        new String[] {
          "/usr/share/man/man1/opdeploy.1.gz", "/usr/share/doc/opdeploy/changelog.gz"
        }) {
      byte[] gz = dataBytes.get(name);
      assertThat(gz[8]).as(name + " XFL").isEqualTo((byte) 2);
      assertThat(new byte[] {gz[4], gz[5], gz[6], gz[7]}).as(name + " MTIME").containsOnly(0);
    }
    String man =
        new String(
            new GZIPInputStream(
                    new ByteArrayInputStream(dataBytes.get("/usr/share/man/man1/opdeploy.1.gz")))
                .readAllBytes(),
            StandardCharsets.UTF_8);
    assertThat(man)
        .startsWith(".TH OPDEPLOY 1")
        .contains(
            ".SS \"opdeploy check\\-new\"",
            ".SS \"opdeploy target prepare\"",
            "\\fB\\-\\-track\\fR");
    assertThat(text(dataBytes, "/usr/share/fish/vendor_completions.d/opdeploy.fish"))
        .contains(
            "-a 'upgrade'",
            "__fish_seen_subcommand_from target; and not __fish_seen_subcommand_from");
    assertThat(text(dataBytes, "/usr/share/zsh/vendor-completions/_opdeploy"))
        .startsWith("#compdef opdeploy\n")
        .contains("_opdeploy_target_prepare()");
    assertThat(text(dataBytes, "/usr/share/bash-completion/completions/opdeploy"))
        .doesNotStartWith("#!");
  }

  @Test
  void lintianFindsNothing() throws Exception {
    HostRequirements.requireProgram("lintian", "lintian");
    ProcessResult lintian =
        new ProcessRunner()
            .runAllowingFailure(
                ProcessSpec.of(
                        "lintian", "--pedantic", "--display-info", PackageFiles.deb().toString())
                    .withTimeout(Duration.ofMinutes(5)));
    assertThat(lintian.stdout()).as("lintian tags").isEmpty();
    assertThat(lintian.exitCode()).as(lintian.stderrTail()).isZero();
  }

  @Test
  void theJarIsAtMost16MbWithZstdNativesForLinuxAmd64AndAarch64Only() throws IOException {
    byte[] jar = dataBytes.get("/usr/share/opdeploy/opdeploy.jar");
    assertThat(jar.length).isLessThanOrEqualTo(16_000_000);
    Map<String, Long> natives = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        if (entry.getName().contains("libzstd-jni")) {
          natives.put(entry.getName().substring(0, entry.getName().lastIndexOf('/')), 1L);
        }
        assertThat(entry.getName())
            .as("no classes for a newer Java than 17")
            .doesNotStartWith("META-INF/versions/21/")
            .doesNotStartWith("META-INF/versions/25/");
      }
    }
    assertThat(natives.keySet()).containsExactlyInAnyOrder("linux/amd64", "linux/aarch64");
  }
}
