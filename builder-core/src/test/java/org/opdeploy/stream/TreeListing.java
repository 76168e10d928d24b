package org.opdeploy.stream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.opdeploy.hash.Sha256;

/**
 * One line per entry of a tree with everything {@code btrfs receive} must reproduce: type, mode
 * with special bits, owner, size, mtime, link count, device number, symlink target, content SHA-256
 * and user xattrs. Two trees are equal when their listings are.
 */
final class TreeListing {
  private TreeListing() {}

  static List<String> of(Path root) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.sorted().toList();
    }
    List<String> lines = new ArrayList<>();
    for (Path path : paths) {
      lines.add(describe(root, path));
    }
    return lines;
  }

  private static String describe(Path root, Path path) throws IOException {
    Map<String, Object> a = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    String type =
        switch (mode & 0170000) {
          case 0040000 -> "dir";
          case 0100000 -> "file";
          case 0120000 -> "link";
          case 0010000 -> "fifo";
          case 0020000 -> "chr";
          case 0060000 -> "blk";
          case 0140000 -> "sock";
          default -> "?";
        };
    String relative = root.relativize(path).toString();
    StringBuilder line = new StringBuilder(relative.isEmpty() ? "." : relative);
    line.append(' ')
        .append(type)
        .append(" mode=")
        .append(Integer.toOctalString(mode & 07777))
        .append(" owner=")
        .append(a.get("uid"))
        .append(':')
        .append(a.get("gid"))
        .append(" mtime=")
        .append(a.get("lastModifiedTime"));
    if (!type.equals("dir")) {
      // Directory sizes and link counts are filesystem bookkeeping, not content.
      line.append(" size=").append(a.get("size")).append(" nlink=").append(a.get("nlink"));
    }
    switch (type) {
      case "file" -> line.append(" sha256=").append(sha256(path));
      case "link" -> line.append(" -> ").append(Files.readSymbolicLink(path));
      case "chr", "blk" -> line.append(" rdev=").append(a.get("rdev"));
      default -> {}
    }
    if (type.equals("file") || type.equals("dir")) {
      line.append(" xattrs=").append(xattrs(path));
    }
    return line.toString();
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static Map<String, String> xattrs(Path path) throws IOException {
    UserDefinedFileAttributeView view =
        Files.getFileAttributeView(path, UserDefinedFileAttributeView.class);
    Map<String, String> values = new TreeMap<>();
    for (String name : view.list()) {
      ByteBuffer buffer = ByteBuffer.allocate(view.size(name));
      view.read(name, buffer);
      values.put(name, HexFormat.of().formatHex(buffer.array()));
    }
    return values;
  }
}
