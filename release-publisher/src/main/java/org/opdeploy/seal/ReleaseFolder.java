package org.opdeploy.seal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.AssetNames;

/**
 * The files of a release folder that SHA256SUMS covers: every regular file except SHA256SUMS, its
 * signature, and hidden files (temporary files of an interrupted write).
 */
public final class ReleaseFolder {
  private ReleaseFolder() {}

  /** Sorted names of the files SHA256SUMS should list; a subfolder or symlink is refused. */
  public static List<String> coveredFiles(Path dir) throws OpdeployException {
    if (!Files.isDirectory(dir)) {
      throw new BadInputException(
          "release folder "
              + dir
              + " does not exist or is not a folder: name the folder send --out wrote"
              + " (publish --dir DIR, verify DIR)");
    }
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.startsWith(".")
            || name.equals(AssetNames.SHA256SUMS)
            || name.equals(AssetNames.SHA256SUMS_SIGNATURE)) {
          continue;
        }
        if (!Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
          throw new OpdeployException(
              entry + " is not a regular file; a release folder holds only its assets");
        }
        names.add(name);
      }
    } catch (IOException e) {
      throw new OpdeployException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    Collections.sort(names);
    return names;
  }
}
