package org.opdeploy.golden;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.stream.Stream;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.hash.Sha256;

/**
 * The SHA-256 of a spec folder, recorded in the manifest as {@code source.spec_sha256} so a release
 * says exactly which golden definition built it. It covers every entry's relative path, type, exec
 * bit and content (or link target) in byte order of the paths, so it is the same on every machine
 * and checkout whatever the umask, mtimes or owners (git records no more either).
 */
public final class SpecDigest {
  private SpecDigest() {}

  /** Hex SHA-256 over the folder holding the spec. */
  public static String of(GoldenSpec spec) throws OpdeployException {
    return of(spec.folder());
  }

  /** Hex SHA-256 over {@code folder}. */
  public static String of(Path folder) throws OpdeployException {
    MessageDigest digest = Sha256.newDigest();
    List<Path> entries;
    try (Stream<Path> walk = Files.walk(folder)) {
      entries =
          walk.filter(p -> !p.equals(folder))
              .sorted((a, b) -> relative(folder, a).compareTo(relative(folder, b)))
              .toList();
    } catch (IOException e) {
      throw new OpdeployException("cannot read spec folder " + folder + ": " + e.getMessage(), e);
    }
    try {
      for (Path entry : entries) {
        String rel = relative(folder, entry);
        if (Files.isSymbolicLink(entry)) {
          update(digest, "L " + rel + " " + Files.readSymbolicLink(entry) + "\n");
        } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          update(digest, "D " + rel + "\n");
        } else {
          update(
              digest, "F " + rel + (executable(entry) ? " x " : " - ") + Files.size(entry) + "\n");
          try (InputStream in = Files.newInputStream(entry);
              DigestOutputStream out =
                  new DigestOutputStream(java.io.OutputStream.nullOutputStream(), digest)) {
            in.transferTo(out);
          }
        }
      }
    } catch (IOException e) {
      throw new OpdeployException("cannot hash spec folder " + folder + ": " + e.getMessage(), e);
    }
    return Sha256.hex(digest);
  }

  private static String relative(Path folder, Path entry) {
    return folder.relativize(entry).toString();
  }

  static boolean executable(Path file) throws IOException {
    return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)
        .contains(java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
  }

  private static void update(MessageDigest digest, String text) {
    digest.update(text.getBytes(StandardCharsets.UTF_8));
  }
}
