package org.opdeploy.golden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.opdeploy.error.OpdeployException;

/**
 * Resolves a path inside a tree the way the kernel would if the tree were {@code /}: symlinks are
 * followed relative to the tree and {@code ..} stops at its top. Writing into a golden as root must
 * never follow an absolute link such as Debian's {@code /var/run -> /run} out onto the host.
 */
final class RootedPath {
  private static final int MAX_LINKS = 40;

  private RootedPath() {}

  /**
   * The host path of {@code path}'s parent folder inside {@code root}, every link along the way
   * resolved inside the tree, joined with the last name unresolved (so the caller can replace a
   * link in place). Missing folders are created with mode 0755 when {@code create} is true.
   */
  static Path parentResolved(Path root, String path, boolean create) throws OpdeployException {
    List<String> names = names(path);
    if (names.isEmpty()) {
      throw new OpdeployException("'" + path + "' names the golden's root, not a file in it");
    }
    Path dir = resolve(root, String.join("/", names.subList(0, names.size() - 1)), create);
    return dir.resolve(names.get(names.size() - 1));
  }

  /**
   * The host path of {@code path} inside {@code root}, every link (the last one too) resolved; with
   * {@code create}, missing folders along it are made (mode 0755).
   */
  static Path resolve(Path root, String path, boolean create) throws OpdeployException {
    Deque<String> remaining = new ArrayDeque<>(names(path));
    Path current = root;
    int links = 0;
    try {
      while (!remaining.isEmpty()) {
        String name = remaining.removeFirst();
        if (name.equals("..")) {
          current = current.equals(root) ? root : current.getParent();
          continue;
        }
        Path next = current.resolve(name);
        if (Files.isSymbolicLink(next)) {
          if (++links > MAX_LINKS) {
            throw new OpdeployException("too many symlinks resolving " + path + " inside " + root);
          }
          String target = Files.readSymbolicLink(next).toString();
          List<String> rest = names(target);
          for (int i = rest.size() - 1; i >= 0; i--) {
            remaining.addFirst(rest.get(i));
          }
          if (target.startsWith("/")) {
            current = root;
          }
          continue;
        }
        if (create && !Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectory(next);
          Files.setPosixFilePermissions(
              next, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        current = next;
      }
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot resolve " + path + " inside " + root + ": " + e.getMessage(), e);
    }
    return current;
  }

  private static List<String> names(String path) {
    return java.util.Arrays.stream(path.split("/"))
        .filter(s -> !s.isEmpty() && !s.equals("."))
        .toList();
  }
}
