package org.opdeploy.notes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.version.Version;

/**
 * Release notes as Markdown: the subjects of the commits a version adds over the previous one (read
 * with JGit, no git binary needed), or a file the release engineer wrote.
 */
public final class ReleaseNotes {
  /**
   * A first release of a long history lists this many subjects and says how many more there are.
   */
  static final int MAX_ENTRIES = 200;

  private static final String TAG_PREFIX = "refs/tags/";

  private ReleaseNotes() {}

  /**
   * The commit subjects between the previous version tag (the highest version tag below {@code
   * version} on the same track: tagged releases or nightlies) and {@code version}'s tag, or HEAD
   * when that tag does not exist yet. Merge commits are left out; newest first.
   */
  public static String fromGit(Path repo, Version version) throws OpdeployException {
    try (Repository repository = open(repo);
        RevWalk walk = new RevWalk(repository)) {
      ObjectId end = resolveEnd(repository, version);
      Version previous = null;
      ObjectId previousCommit = null;
      for (Ref ref : repository.getRefDatabase().getRefsByPrefix(TAG_PREFIX)) {
        String name = ref.getName().substring(TAG_PREFIX.length());
        if (!Version.isValid(name)) {
          continue;
        }
        Version tagged = Version.parse(name);
        if (tagged.sameTrack(version)
            && tagged.compareTo(version) < 0
            && (previous == null || tagged.compareTo(previous) > 0)) {
          previous = tagged;
          previousCommit = ref.getObjectId();
        }
      }
      walk.markStart(walk.parseCommit(end));
      if (previousCommit != null) {
        walk.markUninteresting(walk.parseCommit(previousCommit));
      }
      List<String> lines = new ArrayList<>();
      int more = 0;
      for (RevCommit commit : walk) {
        if (commit.getParentCount() > 1) {
          continue;
        }
        if (lines.size() < MAX_ENTRIES) {
          lines.add(
              "- " + commit.getShortMessage().strip() + " (" + commit.abbreviate(7).name() + ")");
        } else {
          more++;
        }
      }
      return render(version, previous, lines, more);
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot read the git history in " + repo + ": " + e.getMessage(), e);
    }
  }

  /** Notes written by hand; a missing file is bad input (exit 2). */
  public static String fromFile(Path file) throws OpdeployException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new BadInputException(
          "release notes file " + file + " does not exist: fix --notes FILE, or leave it out");
    } catch (IOException e) {
      throw new BadInputException("cannot read release notes file " + file + ": " + e.getMessage());
    }
  }

  private static String render(Version version, Version previous, List<String> lines, int more) {
    StringBuilder out = new StringBuilder();
    out.append("## ").append(version).append("\n\n");
    if (lines.isEmpty()) {
      out.append(previous == null ? "No commits.\n" : "No changes since " + previous + ".\n");
      return out.toString();
    }
    out.append(previous == null ? "Changes:" : "Changes since " + previous + ":").append("\n\n");
    lines.forEach(line -> out.append(line).append('\n'));
    if (more > 0) {
      out.append("- … and ").append(more).append(" earlier commits\n");
    }
    return out.toString();
  }

  private static Repository open(Path repo) throws OpdeployException, IOException {
    FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(repo.toFile());
    if (builder.getGitDir() == null) {
      throw new BadInputException(
          repo + " is not inside a git repository: write the notes to a file instead");
    }
    return builder.build();
  }

  private static ObjectId resolveEnd(Repository repository, Version version)
      throws IOException, OpdeployException {
    Ref tag = repository.exactRef(TAG_PREFIX + version.text());
    if (tag != null) {
      return tag.getObjectId();
    }
    ObjectId head = repository.resolve("HEAD");
    if (head == null) {
      throw new OpdeployException(
          "the git repository " + repository.getDirectory() + " has no commits yet");
    }
    return head;
  }
}
