package org.opdeploy.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.LocatedInputException;

/** A refused golden spec names its file and the line of the key it is about, for CI to annotate. */
class BadSpecLineTest {
  @TempDir Path dir;

  private LocatedInputException refused(String... lines) throws Exception {
    Path file = Files.writeString(dir.resolve("golden.yaml"), String.join("\n", lines) + "\n");
    LocatedInputException e =
        catchThrowableOfType(() -> GoldenSpec.load(dir, Map.of()), LocatedInputException.class);
    assertThat(e).isNotNull();
    assertThat(e.file()).isEqualTo(file);
    return e;
  }

  @Test
  void aMisspelledTopLevelKeyIsOnItsLine() throws Exception {
    LocatedInputException e =
        refused("name: op-dbus", "base:", "  empty: true", "helth:", "  command: /bin/true");
    assertThat(e.getMessage()).contains("unknown key 'helth'");
    assertThat(e.line()).isEqualTo(4);
  }

  @Test
  void aNestedKeysComplaintIsOnThatKeysLine() throws Exception {
    LocatedInputException e =
        refused(
            "name: op-dbus",
            "base:",
            "  empty: true",
            "service-account:",
            "  user: opdbus",
            "  dynamic-user: maybe");
    assertThat(e.getMessage()).contains("service-account.dynamic-user");
    assertThat(e.line()).isEqualTo(6);
  }

  @Test
  void invalidYamlIsOnTheLineTheParserStopped() throws Exception {
    LocatedInputException e =
        refused("name: op-dbus", "base:", "  empty: true", "steps: [unclosed");
    assertThat(e.getMessage()).contains("not valid YAML");
    assertThat(e.line()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void aMissingKeyHasNoLine() throws Exception {
    assertThat(refused("name: op-dbus").line()).isZero();
  }
}
