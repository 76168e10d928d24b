package org.opdeploy.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
  @TempDir Path dir;

  @Test
  void deletingATreeRemovesItsLinksButNeverWhatTheyPointAt() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "keep");
    Path tree = Files.createDirectories(dir.resolve("tree/a/b"));
    Files.writeString(tree.resolve("file"), "x");
    Files.createSymbolicLink(dir.resolve("tree/a/link"), outside);

    assertThat(FileTrees.deleteTree(dir.resolve("tree"))).isTrue();

    assertThat(dir.resolve("tree")).doesNotExist();
    assertThat(outside.resolve("keep")).hasContent("keep");
  }

  @Test
  void aTreeThatIsNotThereIsNothingToDelete() throws Exception {
    assertThat(FileTrees.deleteTree(dir.resolve("missing"))).isFalse();
    FileTrees.deleteQuietly(dir.resolve("missing"));
  }

  @Test
  void aLinkGivenAsTheRootIsRemovedNotFollowed() throws Exception {
    Path target = Files.createDirectories(dir.resolve("target"));
    Files.writeString(target.resolve("keep"), "keep");
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);

    FileTrees.deleteTree(link);

    assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(target.resolve("keep")).hasContent("keep");
  }

  @Test
  void syncingAFolderSucceedsOnAnOrdinaryFolder() throws Exception {
    FileTrees.syncDirectory(dir);
    assertThatThrownBy(() -> FileTrees.syncDirectory(dir.resolve("missing")))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
  }
}
