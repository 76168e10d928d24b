package org.opdeploy.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.Printable;

/** Issue 10.14: a step outside the spec folder is refused; a newline in a path is shown escaped. */
class StepPathTest {
  @TempDir Path tmp;
  Path spec;

  @BeforeEach
  void files() throws IOException {
    spec = Files.createDirectories(tmp.resolve("a/b/golden"));
    Files.createDirectories(spec.resolve("steps"));
    Files.writeString(spec.resolve("steps/10-ok.sh"), "#!/bin/sh\n");
    Files.writeString(tmp.resolve("x.sh"), "#!/bin/sh\necho outside\n");
  }

  private GoldenSpec load(String step) throws Exception {
    Files.writeString(
        spec.resolve("golden.yaml"),
        "name: op-dbus\nbase: {empty: true}\nsteps:\n  - \"" + step.replace("\n", "\\n") + "\"\n");
    return GoldenSpec.load(spec, Map.of());
  }

  @ParameterizedTest
  @ValueSource(strings = {"../../../x.sh", "steps/../../../../x.sh", "/tmp/x.sh"})
  void aStepOutsideTheSpecFolderIsRefusedWithOneLine(String step) throws Exception {
    String resolved = step.startsWith("/") ? step : tmp.resolve("x.sh").toString();
    if (step.startsWith("/")) {
      Files.copy(
          tmp.resolve("x.sh"), Path.of(step), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    try {
      assertThatThrownBy(() -> load(step))
          .isInstanceOfSatisfying(
              BadInputException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
          .hasMessageStartingWith(
              "golden spec " + spec.resolve("golden.yaml") + ":4:5: steps[0]: step " + step)
          .hasMessageContaining(
              step.startsWith("/") ? "is an absolute path" : "leaves the spec folder")
          .hasMessageNotContaining("\n");
      assertThat(Files.exists(Path.of(resolved))).isTrue();
    } finally {
      if (step.startsWith("/")) {
        Files.deleteIfExists(Path.of(step));
      }
    }
  }

  @Test
  void aLinkLeadingOutOfTheSpecFolderIsRefused() throws Exception {
    Files.createSymbolicLink(spec.resolve("steps/20-link.sh"), tmp.resolve("x.sh"));
    assertThatThrownBy(() -> load("steps/20-link.sh"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining(
            "steps[0]: step steps/20-link.sh is a link leading out of the spec folder");
  }

  @Test
  void aStepInsideTheFolderIsAcceptedAndNamedRelativeToIt() throws Exception {
    GoldenSpec loaded = load("steps/./10-ok.sh");
    assertThat(loaded.stepName(loaded.steps().get(0))).isEqualTo("steps/10-ok.sh");
  }

  @Test
  void aNewlineInAStepPathIsPrintedEscaped() throws Exception {
    assertThatThrownBy(() -> load("steps/evil\nERROR: forged line.sh"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("steps/evil\\nERROR: forged line.sh does not exist")
        .hasMessageNotContaining("\n");
    Files.writeString(spec.resolve("steps/a\nb.sh"), "#!/bin/sh\n");
    GoldenSpec loaded = load("steps/a\nb.sh");
    assertThat(loaded.stepName(loaded.steps().get(0))).isEqualTo("steps/a\\nb.sh");
    assertThat(Printable.of("tab\there\u001b[31m")).isEqualTo("tab\\there\\x1b[31m");
  }
}
