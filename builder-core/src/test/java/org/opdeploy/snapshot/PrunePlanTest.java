package org.opdeploy.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.opdeploy.error.BadInputException;
import org.opdeploy.version.Version;

class PrunePlanTest {
  private final List<SnapshotEntry> pool =
      Stream.of("v1.0.0", "v1.1.0", "v1.2.0", "v1.10.0", "v2.0.0")
          .map(PrunePlanTest::entry)
          .toList();

  @Test
  void keepsTheNewestByPrecedenceAndDeletesTheRestOldestFirst() {
    PrunePlan plan = PrunePlan.select(pool, 2, Map.of());

    assertThat(versions(plan.keep())).containsExactly("v1.10.0", "v2.0.0");
    assertThat(versions(plan.delete())).containsExactly("v1.0.0", "v1.1.0", "v1.2.0");
  }

  @Test
  void keepsTheParentOfAKeptVersionsIncremental() {
    PrunePlan plan = PrunePlan.select(pool, 1, Map.of(v("v2.0.0"), List.of(v("v1.1.0"))));

    assertThat(versions(plan.keep())).containsExactly("v1.1.0", "v2.0.0");
    assertThat(versions(plan.delete())).containsExactly("v1.0.0", "v1.2.0", "v1.10.0");
  }

  @Test
  void parentsOfDeletedVersionsDoNotKeepAnything() {
    PrunePlan plan = PrunePlan.select(pool, 1, Map.of(v("v1.2.0"), List.of(v("v1.0.0"))));

    assertThat(versions(plan.keep())).containsExactly("v2.0.0");
  }

  @Test
  void aParentAlreadyGoneIsIgnored() {
    PrunePlan plan = PrunePlan.select(pool, 1, Map.of(v("v2.0.0"), List.of(v("v0.1.0"))));

    assertThat(versions(plan.keep())).containsExactly("v2.0.0");
    assertThat(plan.delete()).hasSize(4);
  }

  @Test
  void keepingMoreThanThereAreDeletesNothing() {
    PrunePlan plan = PrunePlan.select(pool, 10, Map.of());

    assertThat(plan.keep()).hasSize(5);
    assertThat(plan.delete()).isEmpty();
  }

  private static List<String> versions(List<SnapshotEntry> entries) {
    return entries.stream().map(e -> e.version().toString()).toList();
  }

  private static Version v(String text) {
    try {
      return Version.parse(text);
    } catch (BadInputException e) {
      throw new AssertionError(e);
    }
  }

  private static SnapshotEntry entry(String version) {
    return new SnapshotEntry(v(version), Path.of("/pool/@x-" + version), "u-" + version, true);
  }
}
