package org.opdeploy.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.opdeploy.version.Version;

/**
 * One parser of {@code @NAME-V}, the inverse of {@link AssetNames#subvolume}, for pool and target.
 */
class SubvolumeVersionTest {
  @Test
  void aSubvolumeNameGivesBackTheVersionItWasMadeFor() throws Exception {
    for (String v : new String[] {"v1.2.0", "v1.2.0-rc.1", "nightly-20261201.2"}) {
      Version version = Version.parse(v);
      String name = AssetNames.subvolume("op-dbus", version);

      assertThat(AssetNames.subvolumeVersion(name, "op-dbus")).contains(version);
      assertThat(AssetNames.subvolumeVersion(name, null)).contains(version);
    }
  }

  @Test
  void thePayloadNameIsPinnedWhenKnownAndItsDashesAreItsOwn() throws Exception {
    assertThat(AssetNames.subvolumeVersion("@op-dbus-v1.0.0", "op")).isEmpty();
    assertThat(AssetNames.subvolumeVersion("@a-b-c-v2.0.0", "a-b-c"))
        .contains(Version.parse("v2.0.0"));
  }

  @Test
  void theGoldenAndForeignNamesCarryNoVersion() {
    assertThat(AssetNames.subvolumeVersion(AssetNames.goldenSubvolume("op-dbus"), "op-dbus"))
        .isEmpty();
    assertThat(AssetNames.subvolumeVersion("op-dbus-v1.0.0", null)).isEmpty();
    assertThat(AssetNames.subvolumeVersion("@-v1.0.0", null)).isEmpty();
    assertThat(AssetNames.subvolumeVersion("@op-dbus-v1.0", null)).isEmpty();
  }
}
