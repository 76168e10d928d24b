package org.opdeploy.notes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.BadInputException;
import org.opdeploy.version.Version;

class ReleaseNotesTest {
  @TempDir Path repo;
  private Git git;
  private int counter;

  @BeforeEach
  void history() throws Exception {
    git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call();
    commit("Initial import");
    git.tag().setName("v1.0.0").setAnnotated(true).setMessage("v1.0.0").call();
    commit("Add health check timeout");
    git.tag().setName("v1.1.0-rc.1").setAnnotated(false).call();
    commit("Fix rollback of the overlay");
    git.tag().setName("v1.1.0").setAnnotated(true).setMessage("v1.1.0").call();
    git.tag().setName("nightly-20250101").setAnnotated(false).call();
    git.tag().setName("not-a-version").setAnnotated(false).call();
    commit("Speed up send by splitting in one pass");
    commit("Sign releases with SHA-256");
  }

  private void commit(String subject) throws Exception {
    Files.writeString(repo.resolve("file.txt"), subject + ++counter);
    git.add().addFilepattern("file.txt").call();
    PersonIdent who = new PersonIdent("Dev", "dev@example.org");
    git.commit()
        .setMessage(subject + "\n\nLonger body that notes leave out.")
        .setAuthor(who)
        .setCommitter(who)
        .setSign(false)
        .call();
  }

  @Test
  void untaggedVersionListsCommitsSincePreviousTagUpToHead() throws Exception {
    String notes = ReleaseNotes.fromGit(repo, Version.parse("v1.2.0"));
    assertThat(notes)
        .startsWith("## v1.2.0\n\nChanges since v1.1.0:\n\n")
        .containsSubsequence(
            "- Sign releases with SHA-256 (", "- Speed up send by splitting in one pass (")
        .doesNotContain("Fix rollback")
        .doesNotContain("Longer body");
  }

  @Test
  void taggedVersionStopsAtItsTagAndSkipsPrereleasesBelowIt() throws Exception {
    String notes = ReleaseNotes.fromGit(repo, Version.parse("v1.1.0"));
    assertThat(notes)
        .contains("Changes since v1.1.0-rc.1:")
        .contains("- Fix rollback of the overlay")
        .doesNotContain("Speed up")
        .doesNotContain("Add health check");
  }

  @Test
  void firstVersionListsTheWholeHistory() throws Exception {
    assertThat(ReleaseNotes.fromGit(repo, Version.parse("v1.0.0")))
        .isEqualTo(
            "## v1.0.0\n\nChanges:\n\n- Initial import ("
                + git.getRepository().resolve("v1.0.0^{commit}").abbreviate(7).name()
                + ")\n");
  }

  @Test
  void nightliesCompareOnlyWithNightlies() throws Exception {
    String notes = ReleaseNotes.fromGit(repo, Version.parse("nightly-20250102"));
    assertThat(notes)
        .contains("Changes since nightly-20250101:")
        .contains("Sign releases")
        .doesNotContain("Fix rollback");
  }

  @Test
  void notesFromAFileAndAMissingFile() throws Exception {
    Path file = repo.resolve("NOTES.md");
    Files.writeString(file, "Hand-written *notes*\n");
    assertThat(ReleaseNotes.fromFile(file)).isEqualTo("Hand-written *notes*\n");
    assertThatThrownBy(() -> ReleaseNotes.fromFile(repo.resolve("missing.md")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("missing.md");
  }

  @Test
  void folderOutsideAnyRepositoryIsBadInput(@TempDir Path elsewhere) {
    assertThatThrownBy(() -> ReleaseNotes.fromGit(elsewhere, Version.parse("v1.0.0")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("not inside a git repository");
  }
}
