package org.opdeploy.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.opdeploy.error.BadInputException;

class DurationTextTest {
  @Test
  void readsTheFormsPeopleWrite() throws Exception {
    assertThat(DurationText.parse("60m", "t")).isEqualTo(Duration.ofMinutes(60));
    assertThat(DurationText.parse("1h30m", "t")).isEqualTo(Duration.ofMinutes(90));
    assertThat(DurationText.parse("45", "t")).isEqualTo(Duration.ofSeconds(45));
    assertThat(DurationText.parse("500ms", "t")).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void refusesZeroAndNonsenseNamingTheSetting() {
    assertThatThrownBy(() -> DurationText.parse("0s", "--step-timeout"))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("--step-timeout: '0s' must be longer");
    assertThatThrownBy(() -> DurationText.parse("ten minutes", "step-timeout"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("is not a duration");
  }

  @Test
  void formatsShortly() {
    assertThat(DurationText.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(DurationText.format(Duration.ofSeconds(2))).isEqualTo("2s");
    assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }
}
