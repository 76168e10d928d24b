package org.opdeploy.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.ExitCode;

class VersionTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "v0.0.0",
        "v1.2.3",
        "v10.20.30",
        "v1.0.0-rc.1",
        "v1.0.0-alpha-beta.x.7",
        "nightly-20261125",
        "nightly-20261125.2"
      })
  void acceptsTaggedVersionsAndNightlies(String text) throws BadInputException {
    assertThat(Version.parse(text).toString()).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "v1",
        "1.2.3",
        "v1.2",
        "v01.2.3",
        "../x",
        "v1.2.3;rm -rf /",
        "v1.2.3 ",
        "v1.2.3/..",
        "v1.2.3+build",
        "v1.0.0-01",
        "nightly-20261332",
        "nightly-2026112",
        "nightly-20261125.0",
        "v1.2.3\n",
        "$(id)",
        "v1.2.3-"
      })
  void refusesAnythingElseWithExitCodeTwo(String text) {
    assertThatThrownBy(() -> Version.parse(text))
        .isInstanceOfSatisfying(
            BadInputException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
        .hasMessageContaining("invalid version");
  }

  @Test
  void refusesNull() {
    assertThatThrownBy(() -> Version.parse(null)).isInstanceOf(BadInputException.class);
  }

  @Test
  void ordersBySemverPrecedenceThenNightliesByDateAndSerial() throws BadInputException {
    List<String> expected =
        List.of(
            "v1.0.0-alpha",
            "v1.0.0-alpha.1",
            "v1.0.0-alpha.beta",
            "v1.0.0-beta",
            "v1.0.0-beta.2",
            "v1.0.0-beta.11",
            "v1.0.0-rc.1",
            "v1.0.0",
            "v1.2.0",
            "v1.10.0",
            "v2.0.0",
            "nightly-20261124",
            "nightly-20261125",
            "nightly-20261125.1",
            "nightly-20261125.2");
    List<Version> shuffled = new ArrayList<>();
    for (String text : expected) {
      shuffled.add(Version.parse(text));
    }
    Collections.shuffle(shuffled, new java.util.Random(7));
    Collections.sort(shuffled);
    assertThat(shuffled).extracting(Version::toString).containsExactlyElementsOf(expected);
  }

  @Test
  void nightlyNamesFollowTheDesignedForm() {
    assertThat(Version.nightly(LocalDate.of(2026, 11, 25), 0).toString())
        .isEqualTo("nightly-20261125");
    assertThat(Version.nightly(LocalDate.of(2026, 11, 25), 3).toString())
        .isEqualTo("nightly-20261125.3");
  }

  @Test
  void nightliesAndPrereleasesArePrereleases() throws BadInputException {
    assertThat(Version.parse("nightly-20261125").isPrerelease()).isTrue();
    assertThat(Version.parse("v1.0.0-rc.1").isPrerelease()).isTrue();
    assertThat(Version.parse("v1.0.0").isPrerelease()).isFalse();
    assertThat(Version.parse("v1.0.0").sameTrack(Version.parse("nightly-20261125"))).isFalse();
  }
}
