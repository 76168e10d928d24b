package org.opdeploy.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.ExitCode;
import org.opdeploy.snapshot.SnapshotEntry;
import org.opdeploy.version.Version;

class ParentChooserTest {
  private final List<SnapshotEntry> pool =
      List.of(
          entry("v1.0.0", true),
          entry("v1.2.0-rc.1", true),
          entry("v1.10.0", true),
          entry("v1.11.0", false),
          entry("v2.0.0", true),
          entry("nightly-20250101", true));

  @Test
  void autoPicksTheNewestOlderVersionByPrecedenceNotByName() throws BadInputException {
    assertThat(choose("v1.12.0", ParentSelection.AUTO)).isEqualTo("v1.10.0");
  }

  @Test
  void autoSkipsSnapshotsThatAreNotReadOnly() throws BadInputException {
    assertThat(choose("v1.11.1", ParentSelection.AUTO)).isEqualTo("v1.10.0");
  }

  @Test
  void autoRanksAPrereleaseBeforeItsRelease() throws BadInputException {
    assertThat(choose("v1.2.0", ParentSelection.AUTO)).isEqualTo("v1.2.0-rc.1");
  }

  @Test
  void autoForANightlyFallsBackToTheNewestTaggedRelease() throws BadInputException {
    assertThat(choose("nightly-20241231", ParentSelection.AUTO)).isEqualTo("v2.0.0");
    assertThat(choose("nightly-20250102", ParentSelection.AUTO)).isEqualTo("nightly-20250101");
  }

  @Test
  void autoForTheOldestVersionSendsOnlyTheFullStream() throws BadInputException {
    assertThat(choose("v0.9.0", ParentSelection.AUTO)).isNull();
  }

  @Test
  void noneNeverChoosesAParent() throws BadInputException {
    assertThat(choose("v3.0.0", ParentSelection.NONE)).isNull();
  }

  @Test
  void explicitParentIsUsedEvenWhenNewerOnesExist() throws BadInputException {
    assertThat(choose("v2.1.0", ParentSelection.parse("v1.0.0"))).isEqualTo("v1.0.0");
  }

  @Test
  void explicitParentThatDoesNotExistIsBadInput() {
    assertThatThrownBy(() -> choose("v2.1.0", ParentSelection.parse("v1.5.0")))
        .isInstanceOf(ParentNotFoundException.class)
        .hasMessageContaining("parent v1.5.0 has no snapshot")
        .satisfies(
            e -> assertThat(((BadInputException) e).exitCode()).isEqualTo(ExitCode.BAD_INPUT));
  }

  @Test
  void explicitParentThatIsNotReadOnlyIsRefused() {
    assertThatThrownBy(() -> choose("v2.1.0", ParentSelection.parse("v1.11.0")))
        .isInstanceOf(ParentNotFoundException.class)
        .hasMessageContaining("is not read-only");
  }

  @Test
  void explicitParentMustPrecedeTheVersion() {
    assertThatThrownBy(() -> choose("v1.0.0", ParentSelection.parse("v2.0.0")))
        .hasMessageContaining("does not precede");
    assertThatThrownBy(() -> choose("v2.0.0", ParentSelection.parse("v2.0.0")))
        .hasMessageContaining("does not precede");
  }

  @Test
  void parentOptionRejectsInvalidVersions() {
    assertThatThrownBy(() -> ParentSelection.parse("../v1"))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("invalid --parent");
  }

  private String choose(String version, ParentSelection selection) throws BadInputException {
    return ParentChooser.choose(Version.parse(version), selection, pool)
        .map(e -> e.version().toString())
        .orElse(null);
  }

  private static SnapshotEntry entry(String version, boolean readOnly) {
    try {
      return new SnapshotEntry(
          Version.parse(version), Path.of("/pool/@x-" + version), "uuid-" + version, readOnly);
    } catch (BadInputException e) {
      throw new AssertionError(e);
    }
  }
}
