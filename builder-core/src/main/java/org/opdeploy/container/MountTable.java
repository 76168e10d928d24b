package org.opdeploy.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.process.ProcessRunner;

/**
 * The mounts of this process's mount namespace ({@code /proc/self/mountinfo}), to prove a tree has
 * nothing mounted inside it before it is snapshotted or deleted, and to clean up when it has.
 */
public final class MountTable {
  private final Path mountinfo;

  public MountTable() {
    this(Path.of("/proc/self/mountinfo"));
  }

  MountTable(Path mountinfo) {
    this.mountinfo = mountinfo;
  }

  /** Every mount point, in mount order; one appears several times when mounts are stacked on it. */
  public List<Path> mountPoints() throws OpdeployException {
    List<Path> points = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(mountinfo)) {
        String[] fields = line.split(" ");
        if (fields.length > 4) {
          points.add(Path.of(unescape(fields[4])));
        }
      }
    } catch (IOException e) {
      throw new OpdeployException("cannot read " + mountinfo + ": " + e.getMessage(), e);
    }
    return points;
  }

  /** How many mounts are stacked at {@code mountPoint}. */
  public int countAt(Path mountPoint) throws OpdeployException {
    Path wanted = mountPoint.toAbsolutePath().normalize();
    return (int) mountPoints().stream().filter(wanted::equals).count();
  }

  /** Mount points at or below {@code dir}, deepest first (the order to unmount them in). */
  public List<Path> mountsUnder(Path dir) throws OpdeployException {
    Path base = dir.toAbsolutePath().normalize();
    List<Path> found = new ArrayList<>();
    for (Path point : mountPoints()) {
      if (point.startsWith(base) && !point.equals(base)) {
        found.add(point);
      }
    }
    found.sort(Comparator.comparingInt(Path::getNameCount).reversed());
    return found;
  }

  /**
   * Unmounts everything below {@code dir}; a busy mount is detached lazily so that the tree can
   * still be deleted. Returns what was unmounted.
   */
  public List<Path> unmountAllUnder(Path dir, ProcessRunner runner) throws OpdeployException {
    List<Path> mounts = mountsUnder(dir);
    for (Path point : mounts) {
      if (runner
              .runAllowingFailure(org.opdeploy.process.ProcessSpec.of("umount", point.toString()))
              .exitCode()
          != 0) {
        runner.run("umount", "--lazy", point.toString());
      }
    }
    return mounts;
  }

  /** mountinfo writes space, tab, newline and backslash as octal escapes. */
  static String unescape(String field) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\'
          && i + 3 < field.length()
          && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
