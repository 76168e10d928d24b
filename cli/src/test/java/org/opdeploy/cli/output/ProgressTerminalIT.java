package org.opdeploy.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Progress on a real pseudo-terminal (util-linux {@code script}) sized by {@code stty}: JLine reads
 * the width, and no redrawn line is wider than the terminal, so none wraps.
 */
class ProgressTerminalIT {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(ints = {80, 60, 132})
  void everyRedrawFitsTheTerminalItIsDrawnOn(int columns) throws Exception {
    Path typescript = dir.resolve("typescript");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String command =
        "stty cols "
            + columns
            + " rows 24; exec "
            + java
            + " -cp '"
            + System.getProperty("java.class.path")
            + "' "
            + ProgressTerminalMain.class.getName();
    Process script =
        new ProcessBuilder("script", "-q", "-f", "-e", "-c", command, typescript.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("script.out").toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    try {
      assertThat(script.waitFor(60, TimeUnit.SECONDS)).as("script finishes").isTrue();
    } finally {
      script.destroyForcibly();
    }
    assertThat(script.exitValue()).as(Files.readString(dir.resolve("script.out"))).isZero();
    String text = Files.readString(typescript, StandardCharsets.UTF_8);
    List<String> redraws = new ArrayList<>();
    for (String part : text.split("\r\u001b\\[K")) {
      String line = part.split("\r?\n")[0];
      if (!line.isEmpty() && !line.startsWith("Script ")) {
        redraws.add(line);
      }
    }
    assertThat(redraws).hasSizeGreaterThanOrEqualTo(6);
    assertThat(redraws).allSatisfy(line -> assertThat(line.length()).as(line).isLessThan(columns));
    assertThat(redraws).anyMatch(line -> line.contains("%") && line.contains("~"));
    assertThat(redraws).anyMatch(line -> line.contains("waiting for"));
    if (columns >= 80) {
      assertThat(redraws).anyMatch(line -> line.contains("ETA"));
    }
  }
}
