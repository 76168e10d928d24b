package org.opdeploy.deploy.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opdeploy.error.BadInputException;
import org.opdeploy.version.Version;

class TrackTest {
  private static Version v(String text) throws BadInputException {
    return Version.parse(text);
  }

  @Test
  void stableTakesReleasesOnlyPrereleaseAlsoRcsNightlyEverything() throws Exception {
    assertThat(Track.STABLE.allows(v("v1.2.0"))).isTrue();
    assertThat(Track.STABLE.allows(v("v1.2.0-rc.1"))).isFalse();
    assertThat(Track.STABLE.allows(v("nightly-20260101"))).isFalse();
    assertThat(Track.PRERELEASE.allows(v("v1.2.0-rc.1"))).isTrue();
    assertThat(Track.PRERELEASE.allows(v("nightly-20260101.2"))).isFalse();
    assertThat(Track.NIGHTLY.allows(v("nightly-20260101.2"))).isTrue();
    assertThat(Track.NIGHTLY.allows(v("v1.2.0"))).isTrue();
  }

  @Test
  void parsesTheSettingAndDefaultsToStable() throws Exception {
    assertThat(Track.parse(null)).isEqualTo(Track.STABLE);
    assertThat(Track.parse(" Prerelease ")).isEqualTo(Track.PRERELEASE);
    assertThatThrownBy(() -> Track.parse("beta"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("invalid track 'beta': use stable, prerelease or nightly");
  }
}
