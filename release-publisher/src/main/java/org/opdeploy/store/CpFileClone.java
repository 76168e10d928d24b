package org.opdeploy.store;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;

/**
 * {@link FileClone} through coreutils' {@code cp --reflink=always}, which clones with {@code
 * FICLONE} and fails rather than copy when the filesystem refuses (EXDEV across filesystems,
 * EOPNOTSUPP on one without reflinks). The clone gets the mode a new file gets, not the source's,
 * as the store's copies do. Two folders on different filesystems (by their mounted device) are not
 * even tried: {@code cp} would open the source only to be refused.
 */
public final class CpFileClone implements FileClone {
  /** A clone moves no data: seconds are plenty even for a stream of many GiB. */
  private static final Duration TIMEOUT = Duration.ofMinutes(1);

  private final ProcessRunner runner;

  public CpFileClone(ProcessRunner runner) {
    this.runner = runner;
  }

  @Override
  public boolean cloneFile(Path source, Path target) {
    if (!sameFilesystem(source, target.toAbsolutePath().getParent())) {
      return false;
    }
    try {
      runner.run(
          ProcessSpec.of(
                  "cp",
                  "--reflink=always",
                  "--no-preserve=mode,ownership,timestamps",
                  "--",
                  source.toString(),
                  target.toString())
              .withTimeout(TIMEOUT));
      return true;
    } catch (org.opdeploy.error.OpdeployException e) {
      // Refused, or no cp at all: the copy that follows reports any real trouble (a full disk).
      try {
        Files.deleteIfExists(target);
      } catch (IOException ignored) {
        // the copy replaces it anyway
      }
      return false;
    }
  }

  private static boolean sameFilesystem(Path a, Path b) {
    try {
      FileStore one = Files.getFileStore(a);
      FileStore other = Files.getFileStore(b);
      return one.name().equals(other.name()) && one.type().equals(other.type());
    } catch (IOException e) {
      return false;
    }
  }
}
