package org.opdeploy.deploy.activate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.opdeploy.error.OpdeployException;

/** The mounts of this process's namespace, from {@code /proc/self/mountinfo}. */
record MountTable(List<String> mountPoints) {
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  static MountTable read() throws OpdeployException {
    try {
      return new MountTable(Files.readAllLines(MOUNTINFO).stream()
          .map(line -> line.split(" "))
          .filter(fields -> fields.length > 4)
          .map(fields -> unescape(fields[4]))
          .toList());
    } catch (IOException e) {
      throw new OpdeployException("cannot read " + MOUNTINFO + ": " + e.getMessage(), e);
    }
  }

  int countAt(Path mountPoint) {
    String wanted = mountPoint.toAbsolutePath().normalize().toString();
    return (int) mountPoints.stream().filter(wanted::equals).count();
  }

  /** mountinfo writes space, tab, newline and backslash as octal escapes. */
  static String unescape(String field) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
