package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassListTrainingTest {
  @Test
  void theTrainingRunVerifiesTheReleaseItSigned(@TempDir Path dir) throws Exception {
    ClassListTraining.main(new String[] {dir.toString()});

    assertThat(dir.resolve("release/SHA256SUMS.asc")).isRegularFile();
    assertThat(dir.resolve("trusted.asc")).isRegularFile();
  }
}
