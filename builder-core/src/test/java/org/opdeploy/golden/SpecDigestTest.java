package org.opdeploy.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecDigestTest {
  @TempDir Path dir;

  @Test
  void dependsOnContentNamesAndExecBitButNotOnTimesOrUmask() throws Exception {
    Files.createDirectories(dir.resolve("steps"));
    Path step = Files.writeString(dir.resolve("steps/10.sh"), "echo hi\n");
    Files.writeString(dir.resolve("golden.yaml"), "base: {empty: true}\n");
    String first = SpecDigest.of(dir);
    assertThat(first).hasSize(64).matches("[0-9a-f]+");

    Files.setLastModifiedTime(step, FileTime.fromMillis(0));
    Files.setAttribute(dir.resolve("golden.yaml"), "unix:mode", 0664);
    assertThat(SpecDigest.of(dir)).isEqualTo(first);

    Files.setAttribute(step, "unix:mode", 0755);
    String executable = SpecDigest.of(dir);
    assertThat(executable).isNotEqualTo(first);

    Files.writeString(step, "echo hello\n");
    assertThat(SpecDigest.of(dir)).isNotEqualTo(executable);
  }
}
