package org.opdeploy.golden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.opdeploy.error.OpdeployException;

/**
 * Installs host files into the golden: the {@code rootfs/} overlay and the payload. Files land as
 * root with mode 0755 or 0644 (from the exec bit, which is all git records) unless the spec sets
 * one, so a checkout's owner and umask never leak into a release. A file whose content and mode are
 * already right is left alone: unchanged files stay out of the next incremental stream.
 */
final class TreeInstaller {
  private static final String TEMP_PREFIX = ".opdeploy-";
  private final Path golden;

  TreeInstaller(Path golden) {
    this.golden = golden;
  }

  /**
   * Copies every file, folder and symlink of {@code overlay} over the golden; returns the count
   * changed.
   */
  int installOverlay(Path overlay) throws OpdeployException {
    List<Path> entries;
    try (Stream<Path> walk = Files.walk(overlay)) {
      entries = walk.filter(p -> !p.equals(overlay)).sorted().toList();
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot read rootfs overlay " + overlay + ": " + e.getMessage(), e);
    }
    int changed = 0;
    for (Path entry : entries) {
      String to = "/" + overlay.relativize(entry);
      try {
        if (Files.isSymbolicLink(entry)) {
          changed += installLink(Files.readSymbolicLink(entry), to) ? 1 : 0;
        } else if (Files.isDirectory(entry)) {
          Path dir = RootedPath.resolve(golden, to, true);
          if (!Files.isDirectory(dir)) {
            throw new OpdeployException(
                to + " in the golden is a file but the overlay " + overlay + " has a folder there");
          }
        } else {
          changed += installFile(entry, to, -1) ? 1 : 0;
        }
      } catch (IOException e) {
        throw new OpdeployException(
            "cannot install " + to + " into " + golden + ": " + e.getMessage(), e);
      }
    }
    return changed;
  }

  /**
   * Installs one file at {@code to} inside the golden; {@code mode} -1 takes it from the exec bit.
   */
  boolean installFile(Path source, String to, int mode) throws OpdeployException, IOException {
    Path dest = RootedPath.parentResolved(golden, to, true);
    int wanted = mode >= 0 ? mode : (SpecDigest.executable(source) ? 0755 : 0644);
    if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
      throw new OpdeployException(
          to + " in the golden is a folder: cannot install " + source + " there");
    }
    if (Files.isRegularFile(dest, LinkOption.NOFOLLOW_LINKS)
        && modeOf(dest) == wanted
        && Files.mismatch(source, dest) == -1L) {
      return false;
    }
    // Write beside and rename over, like install(1): never a half-written file in the golden.
    Path temp = dest.resolveSibling(TEMP_PREFIX + dest.getFileName());
    try {
      Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
      Files.setAttribute(temp, "unix:mode", wanted, LinkOption.NOFOLLOW_LINKS);
      Files.move(temp, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    return true;
  }

  private boolean installLink(Path target, String to) throws OpdeployException, IOException {
    Path dest = RootedPath.parentResolved(golden, to, true);
    if (Files.isSymbolicLink(dest) && Files.readSymbolicLink(dest).equals(target)) {
      return false;
    }
    if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
      throw new OpdeployException(
          to + " in the golden is a folder: the overlay's symlink cannot replace it");
    }
    Files.deleteIfExists(dest);
    Files.createSymbolicLink(dest, target);
    return true;
  }

  private static int modeOf(Path file) throws IOException {
    return ((Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
  }
}
