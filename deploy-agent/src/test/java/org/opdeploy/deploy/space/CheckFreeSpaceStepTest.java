package org.opdeploy.deploy.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.audit.SpaceReserve;
import org.opdeploy.error.ExitCode;
import org.opdeploy.version.Version;

class CheckFreeSpaceStepTest {
  @TempDir Path dir;

  @Test
  void theMarginIs64MibPlusFivePercentOfWhatIsWritten() {
    assertThat(CheckFreeSpaceStep.margin(0)).isEqualTo(64L << 20);
    assertThat(CheckFreeSpaceStep.margin(1_000_000_000)).isEqualTo((64L << 20) + 50_000_000);
  }

  @Test
  void aReleaseThatFitsPasses() throws Exception {
    new CheckFreeSpaceStep(dir.resolve("root/not/yet/created"))
        .run(Version.parse("v1.0.0"), 1000, 1000);
  }

  @Test
  void aReleaseThatDoesNotFitIsBadInputNamingWhatItNeedsAndWhatIsFree() throws Exception {
    long free = SpaceReserve.freeBytes(dir);
    long receive = free + (1L << 30);

    assertThatThrownBy(() -> new CheckFreeSpaceStep(dir).run(Version.parse("v2.0.0"), 10, receive))
        .isInstanceOfSatisfying(
            InsufficientSpaceException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
              assertThat(e.needed())
                  .isEqualTo(10 + receive + CheckFreeSpaceStep.margin(10 + receive));
              assertThat(e.getMessage())
                  .startsWith(
                      "not enough free space for v2.0.0 on the filesystem of "
                          + dir
                          + ": needs "
                          + e.needed()
                          + " bytes (download 10 + receive "
                          + receive
                          + " + margin ")
                  .contains(e.free() + " bytes free");
            });
  }
}
