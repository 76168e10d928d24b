package org.opdeploy.stream;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Random;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.process.ProcessRunner;

/**
 * Writes small system-like trees into a golden: every kind of entry a send stream must carry (modes
 * with special bits, foreign owners, symlinks, hard links, sparse and empty files, fifos, device
 * nodes, xattrs, odd names) and the changes of a next version.
 */
final class GoldenTree {
  private final ProcessRunner runner = new ProcessRunner();

  /** The first version's tree, with {@code randomBytes} of incompressible data in one file. */
  void populate(Path root, int randomBytes) throws IOException, OpdeployException {
    Path etc = Files.createDirectories(root.resolve("etc/op-dbus"));
    Path bin = Files.createDirectories(root.resolve("usr/local/bin"));
    Path data = Files.createDirectories(root.resolve("var/lib/op-dbus"));
    Files.writeString(etc.resolve("state.json"), "{\"mode\": \"active\"}\n");
    Files.write(bin.resolve("op-dbus"), random(randomBytes, 1));
    Files.setPosixFilePermissions(
        bin.resolve("op-dbus"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(root.resolve("usr/local/README"), "op-dbus payload\n".repeat(20_000));
    Files.createFile(data.resolve("empty"));
    try (RandomAccessFile sparse =
        new RandomAccessFile(data.resolve("sparse.img").toFile(), "rw")) {
      sparse.setLength(8L << 20);
      sparse.seek(3L << 20);
      sparse.write("hole before, hole after".getBytes(StandardCharsets.UTF_8));
    }
    Files.createSymbolicLink(root.resolve("usr/local/bin/opd"), Path.of("op-dbus"));
    Files.createSymbolicLink(
        root.resolve("etc/op-dbus/absolute"), Path.of("/etc/op-dbus/state.json"));
    Files.createSymbolicLink(root.resolve("etc/op-dbus/dangling"), Path.of("../nowhere"));
    Files.createLink(data.resolve("hardlink"), etc.resolve("state.json"));
    Files.writeString(data.resolve("name with spaces & ünïcode"), "odd\n");
    Path secret = Files.createDirectories(root.resolve("root"));
    mode(secret, 0700);
    Path tmp = Files.createDirectories(root.resolve("tmp"));
    mode(tmp, 01777);
    Path setuid = Files.writeString(bin.resolve("helper"), "#!/bin/sh\n");
    mode(setuid, 04755);
    owner(data, 1234, 5678);
    owner(data.resolve("empty"), 4321, 8765);
    xattr(etc.resolve("state.json"), "user.opdeploy.note", "first");
    xattr(etc, "user.opdeploy.dir", "tagged");
    runner.run("mkfifo", "-m", "0640", root.resolve("var/lib/op-dbus/fifo").toString());
    Files.createDirectories(root.resolve("dev"));
    runner.run("mknod", "-m", "0666", root.resolve("dev/null").toString(), "c", "1", "3");
    Files.setLastModifiedTime(etc.resolve("state.json"), FileTime.fromMillis(1_600_000_000_123L));
  }

  /** The next version: content, mode, owner, xattr and link changes, a rename, an add, a delete. */
  void change(Path root) throws IOException {
    Path bin = root.resolve("usr/local/bin/op-dbus");
    try (RandomAccessFile file = new RandomAccessFile(bin.toFile(), "rw")) {
      file.seek(file.length() / 2);
      file.write(random(64 * 1024, 2));
    }
    Files.writeString(root.resolve("etc/op-dbus/state.json"), "{\"mode\": \"upgraded\"}\n");
    xattr(root.resolve("etc/op-dbus/state.json"), "user.opdeploy.note", "second");
    mode(root.resolve("usr/local/bin/helper"), 0750);
    owner(root.resolve("var/lib/op-dbus/empty"), 0, 0);
    Files.delete(root.resolve("etc/op-dbus/dangling"));
    Files.createSymbolicLink(root.resolve("etc/op-dbus/dangling"), Path.of("state.json"));
    Files.move(root.resolve("usr/local/README"), root.resolve("usr/local/README.md"));
    Files.delete(root.resolve("var/lib/op-dbus/sparse.img"));
    Files.write(root.resolve("var/lib/op-dbus/new.bin"), random(100_000, 3));
  }

  private static byte[] random(int n, long seed) {
    byte[] bytes = new byte[n];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static void mode(Path path, int mode) throws IOException {
    Files.setAttribute(path, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
  }

  private static void owner(Path path, int uid, int gid) throws IOException {
    Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
  }

  private static void xattr(Path path, String name, String value) throws IOException {
    Files.getFileAttributeView(path, UserDefinedFileAttributeView.class)
        .write(
            name.substring("user.".length()),
            ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
  }
}
