package org.opdeploy.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opdeploy.version.Version;

class NightlyNameTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 26);

  private static Version v(String text) throws Exception {
    return Version.parse(text);
  }

  @Test
  void theFirstNightlyOfTheDayHasNoSuffix() throws Exception {
    assertThat(
            NightlyName.choose(
                TODAY, List.of(v("nightly-20261125"), v("v1.0.0")), List.of(v("nightly-20261125"))))
        .hasToString("nightly-20261126");
  }

  @Test
  void laterNightliesOfTheSameDayCountUp() throws Exception {
    assertThat(
            NightlyName.choose(
                TODAY,
                List.of(v("nightly-20261126"), v("nightly-20261126.1")),
                List.of(v("nightly-20261126"), v("nightly-20261126.1"))))
        .hasToString("nightly-20261126.2");
  }

  @Test
  void aSnapshottedButUnpublishedNightlyIsResumed() throws Exception {
    assertThat(
            NightlyName.choose(
                TODAY,
                List.of(v("nightly-20261126"), v("nightly-20261126.1")),
                List.of(v("nightly-20261126"))))
        .hasToString("nightly-20261126.1");
  }

  @Test
  void aNameTakenOnlyInTheStoreIsNotReused() throws Exception {
    assertThat(NightlyName.choose(TODAY, List.of(), List.of(v("nightly-20261126"))))
        .hasToString("nightly-20261126.1");
  }
}
