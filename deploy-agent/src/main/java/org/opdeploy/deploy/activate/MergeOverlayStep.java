package org.opdeploy.deploy.activate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;

/**
 * Carries the machine-local changes of the active version's overlay into the overlay of a version
 * activated for the first time, like OSTree's three-way merge of {@code /etc}: the old upper layer
 * (what this machine changed, added or deleted against the old deployment) is copied as a whole
 * into the new version's upper layer. A file changed locally that the new release left as the old
 * one had it is simply carried. A file changed locally <em>and</em> by the new release is a
 * conflict: the machine's copy wins (it is what this machine runs with) and the conflict is
 * reported, naming where the release's copy stays readable (the read-only mount). The old version's
 * overlay is left as it was, so a rollback finds it unchanged.
 */
public final class MergeOverlayStep {
  private final DeploymentMounts mounts;
  private final ProgressListener progress;

  public MergeOverlayStep(DeploymentMounts mounts, ProgressListener progress) {
    this.mounts = mounts;
    this.progress = progress;
  }

  /**
   * Merges {@code fromUpper} (changes against {@code fromDeployment}) into the new {@code toUpper}
   * of {@code toDeployment}; returns the conflicting paths ({@code /etc/...}).
   */
  public List<String> run(
      Path fromDeployment, Path fromUpper, Path toDeployment, Path toUpper, Path mount)
      throws OpdeployException {
    if (!Files.isDirectory(fromUpper) || isEmpty(fromUpper)) {
      return List.of();
    }
    List<String> conflicts = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(fromUpper)) {
      for (Path local : (Iterable<Path>) walk::iterator) {
        if (Files.isDirectory(local, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        Path relative = fromUpper.relativize(local);
        if (!same(fromDeployment.resolve(relative), toDeployment.resolve(relative))) {
          conflicts.add("/" + relative);
        }
      }
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot read the overlay " + fromUpper + ": " + e.getMessage(), e);
    }
    mounts.copyLayer(fromUpper, toUpper);
    for (String path : conflicts) {
      progress.warn(
          "machine-local change to "
              + path
              + " kept, although the new release changes it too;"
              + " the release's copy is "
              + mount
              + path);
    }
    return conflicts;
  }

  /**
   * True when the release left the entry as it was: both absent, same link target or same bytes.
   */
  static boolean same(Path before, Path after) throws IOException {
    boolean hadIt = Files.exists(before, LinkOption.NOFOLLOW_LINKS);
    boolean hasIt = Files.exists(after, LinkOption.NOFOLLOW_LINKS);
    if (!hadIt || !hasIt) {
      return hadIt == hasIt;
    }
    if (Files.isSymbolicLink(before) || Files.isSymbolicLink(after)) {
      return Files.isSymbolicLink(before)
          && Files.isSymbolicLink(after)
          && Files.readSymbolicLink(before).equals(Files.readSymbolicLink(after));
    }
    if (!Files.isRegularFile(before) || !Files.isRegularFile(after)) {
      return Files.isDirectory(before) == Files.isDirectory(after);
    }
    if (Files.size(before) != Files.size(after)) {
      return false;
    }
    try (InputStream a = Files.newInputStream(before);
        InputStream b = Files.newInputStream(after)) {
      byte[] x = new byte[65536];
      byte[] y = new byte[65536];
      while (true) {
        int n = a.readNBytes(x, 0, x.length);
        int m = b.readNBytes(y, 0, y.length);
        if (n != m || !Arrays.equals(x, 0, n, y, 0, m)) {
          return false;
        }
        if (n == 0) {
          return true;
        }
      }
    }
  }

  private static boolean isEmpty(Path folder) throws OpdeployException {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      throw new OpdeployException("cannot read the overlay " + folder + ": " + e.getMessage(), e);
    }
  }
}
