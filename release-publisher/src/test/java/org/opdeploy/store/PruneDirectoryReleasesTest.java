package org.opdeploy.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/** {@code prune --releases --to dir:PATH}: old nightly folders go, the index follows. */
class PruneDirectoryReleasesTest {
  @TempDir Path root;

  private void seed(String version) throws Exception {
    Path dir = Files.createDirectories(root.resolve(version));
    Files.writeString(dir.resolve("SHA256SUMS"), "");
    Files.writeString(dir.resolve("op-dbus-" + version + ".send.zst"), "stream");
    Files.writeString(root.resolve(version + ".notes.md"), "notes\n");
  }

  @Test
  void deletesOldNightlyFoldersAndNotesKeepsStableOnesAndRewritesTheIndex() throws Exception {
    for (String v : List.of("v1.0.0", "nightly-20260101", "nightly-20260102", "nightly-20260103")) {
      seed(v);
    }
    DirectoryStore store = new DirectoryStore(root);

    ReleasePrunePlan done = new PruneReleasesStep(store, 1, ProgressListener.NONE).run();

    assertThat(done.delete())
        .extracting(Version::text)
        .containsExactly("nightly-20260101", "nightly-20260102");
    assertThat(store.versions())
        .extracting(Version::text)
        .containsExactly("v1.0.0", "nightly-20260103");
    assertThat(root.resolve("nightly-20260101")).doesNotExist();
    assertThat(root.resolve("nightly-20260101.notes.md")).doesNotExist();
    assertThat(root.resolve("v1.0.0.notes.md")).exists();
    assertThat(Files.readString(root.resolve(DirectoryStore.VERSIONS_INDEX)))
        .isEqualTo("v1.0.0\nnightly-20260103\n");
    try (var left = Files.list(root)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith(".staging-"));
    }
  }

  @Test
  void aReleaseAlreadyGoneCountsAsDeleted() throws Exception {
    seed("nightly-20260101");
    DirectoryStore store = new DirectoryStore(root);
    store.delete(Version.parse("nightly-20260101"));
    store.delete(Version.parse("nightly-20260101"));
    assertThat(store.versions()).isEmpty();
  }
}
