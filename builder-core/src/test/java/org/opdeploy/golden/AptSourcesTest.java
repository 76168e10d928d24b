package org.opdeploy.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AptSourcesTest {
  @TempDir Path etcApt;

  @Test
  void picksTheDeb822SourceServingTheSuite() throws Exception {
    Files.createDirectories(etcApt.resolve("sources.list.d"));
    Files.writeString(
        etcApt.resolve("sources.list.d/debian.sources"),
        String.join(
            "\n",
            "Types: deb",
            "URIs: http://deb.debian.org/debian-security",
            "Suites: bookworm-security",
            "Components: main",
            "",
            "Types: deb deb-src",
            "URIs: http://mirror.local/debian",
            "Suites: bookworm bookworm-updates",
            "Components: main",
            ""));
    assertThat(new AptSources(etcApt).mirrorFor("bookworm"))
        .isEqualTo("http://mirror.local/debian");
  }

  @Test
  void readsOneLineSourcesWithOptionsAndSkipsDisabledOnes() throws Exception {
    Files.writeString(
        etcApt.resolve("sources.list"),
        String.join(
            "\n",
            "# deb http://commented.example/debian bookworm main",
            "deb-src http://src.example/debian bookworm main",
            "deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://proxy.example:3142/debian bookworm main",
            ""));
    Files.createDirectories(etcApt.resolve("sources.list.d"));
    Files.writeString(
        etcApt.resolve("sources.list.d/off.sources"),
        "Enabled: no\nTypes: deb\nURIs: http://off.example/debian\nSuites: bookworm\n");
    Files.writeString(
        etcApt.resolve("sources.list.d/x.list.disabled"),
        "deb http://ignored.example/ bookworm main\n");
    assertThat(new AptSources(etcApt).mirrorFor("bookworm"))
        .isEqualTo("http://proxy.example:3142/debian");
  }

  @Test
  void fallsBackToTheMainArchiveForAnotherSuiteAndToNothingWithoutSources() throws Exception {
    assertThat(new AptSources(etcApt).mirrorFor("bookworm")).isNull();
    Files.writeString(
        etcApt.resolve("sources.list"),
        String.join(
            "\n",
            "deb http://security.debian.org/debian-security trixie-security main",
            "deb cdrom:[Debian]/ trixie main",
            "deb http://deb.debian.org/debian trixie main",
            ""));
    assertThat(new AptSources(etcApt).mirrorFor("bookworm"))
        .isEqualTo("http://deb.debian.org/debian");
  }
}
