package org.opdeploy.cli.command;

import java.nio.file.Path;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.notes.ReleaseNotes;
import org.opdeploy.version.Version;
import picocli.CommandLine.Option;

/** Where the release notes come from: a file, or the payload repository's history. */
public final class ReleaseNotesOptions {
  @Option(
      names = "--notes",
      paramLabel = "FILE",
      description = "Release notes (Markdown) from a file.")
  Path file;

  @Option(
      names = "--notes-from-git",
      paramLabel = "REPO",
      description =
          "Release notes from the commit subjects since the previous version tag in REPO.")
  Path repository;

  /** The notes, or a one-line default naming the version. */
  public String text(Version version) throws OpdeployException {
    if (file != null) {
      return ReleaseNotes.fromFile(file);
    }
    if (repository != null) {
      return ReleaseNotes.fromGit(repository, version);
    }
    return "Release " + version + " built by opdeploy.";
  }
}
