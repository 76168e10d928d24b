package org.opdeploy.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opdeploy.error.BadInputException;

class ChecksumsTest {
  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);

  @Test
  void rendersSortedTwoSpaceLfLines() {
    assertThat(Checksums.render(Map.of("z.send.zst", A, "m.manifest.json", B)))
        .isEqualTo(B + "  m.manifest.json\n" + A + "  z.send.zst\n");
  }

  @Test
  void parsesWhatItRendersAndBinaryMarkers() throws BadInputException {
    assertThat(Checksums.parse(A + "  x\n" + B + " *y\n", "SHA256SUMS"))
        .containsEntry("x", A)
        .containsEntry("y", B);
  }

  @Test
  void refusesPathsAndDuplicates() {
    assertThatThrownBy(() -> Checksums.parse(A + "  ../etc/passwd\n", "SHA256SUMS"))
        .isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> Checksums.parse(A + "  /abs\n", "SHA256SUMS"))
        .isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> Checksums.parse(A + "  x\n" + B + "  x\n", "SHA256SUMS"))
        .hasMessageContaining("twice");
  }
}
