package org.opdeploy.deploy.receive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.opdeploy.btrfs.Btrfs;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.io.FileTrees;

/**
 * What {@code btrfs receive} may change: one new subvolume in {@code deploy/}. Receive runs
 * chrooted into {@code deploy/} ({@code -C}), so a crafted stream cannot reach the host, but its
 * {@code ..} paths and symlinks can still land beside the subvolume (a stray file, a second
 * subvolume, a marker in {@code .staging/} that would make the next run delete a deployment). This
 * records the entries of {@code deploy/} and {@code deploy/.staging/} before the receive and finds
 * (and removes) whatever the stream added beyond the one subvolume the manifest names.
 */
final class ReceiveFootprint {
  private final Btrfs btrfs;
  private final List<Path> folders;
  private final Map<Path, Object> before;

  private ReceiveFootprint(Btrfs btrfs, List<Path> folders, Map<Path, Object> before) {
    this.btrfs = btrfs;
    this.folders = folders;
    this.before = before;
  }

  /** Records the entries of {@code folders} (not recursive) as they are now. */
  static ReceiveFootprint record(Btrfs btrfs, Path... folders) throws OpdeployException {
    List<Path> list = List.of(folders);
    return new ReceiveFootprint(btrfs, list, entries(list));
  }

  /** Entries that are new or were replaced since {@link #record}, except {@code expected}. */
  List<Path> strays(Path expected) throws OpdeployException {
    List<Path> found = new ArrayList<>();
    for (Map.Entry<Path, Object> entry : entries(folders).entrySet()) {
      Path path = entry.getKey();
      if (!path.equals(expected) && !entry.getValue().equals(before.get(path))) {
        found.add(path);
      }
    }
    return found;
  }

  /** Entries recorded before that are gone now (renamed or removed by the stream). */
  List<Path> missing() throws OpdeployException {
    Map<Path, Object> now = entries(folders);
    return before.keySet().stream().filter(p -> !now.containsKey(p)).sorted().toList();
  }

  /**
   * Removes {@code strays}: subvolumes with btrfs, anything else as a tree (never following links).
   */
  void remove(List<Path> strays) throws OpdeployException {
    for (Path stray : strays) {
      if (btrfs.isSubvolume(stray)) {
        btrfs.delete(stray);
      } else {
        FileTrees.deleteTree(stray);
      }
    }
  }

  private static Map<Path, Object> entries(List<Path> folders) throws OpdeployException {
    Map<Path, Object> found = new LinkedHashMap<>();
    for (Path folder : folders) {
      if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try (Stream<Path> children = Files.list(folder)) {
        for (Path child : children.sorted().toList()) {
          if (!folders.contains(child)) {
            found.put(child, identity(child));
          }
        }
      } catch (IOException e) {
        throw new OpdeployException("cannot list " + folder + ": " + e.getMessage(), e);
      }
    }
    return found;
  }

  /**
   * Device and inode (or whatever the file system offers) plus the kind: what tells a replaced
   * entry.
   */
  private static Object identity(Path path) throws IOException {
    BasicFileAttributes attributes =
        Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    Object key = attributes.fileKey();
    return List.of(
        key == null ? path.toString() : key, attributes.isDirectory(), attributes.isSymbolicLink());
  }
}
