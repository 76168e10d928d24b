package org.opdeploy.golden;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.process.ProcessRunner;

/**
 * The stand-in golden for tests and {@code opdeploy demo}: clearly not the real op-dbus system, but
 * a spec that exercises everything a real one does in seconds and without a network. Its base is a
 * busybox tree built here from the host's busybox-static; its payload is a shell script answering
 * {@code --version}, {@code query} and {@code run} like op-dbus; its one step runs inside the
 * golden and records {@code OPDEPLOY_VERSION} in {@code /etc/op-dbus/build-info}.
 */
public final class StandinGolden {
  /** The busybox-static binary Debian installs. */
  public static final Path HOST_BUSYBOX = Path.of("/bin/busybox");

  private static final String RESOURCES = "/org/opdeploy/golden/standin/";

  /** Resource files (a jar cannot be listed) and whether each is executable. */
  private static final List<String> FILES =
      List.of(
          "golden.yaml",
          "+op-dbus-standin.sh",
          "+steps/10-build-info.sh",
          "rootfs/etc/op-dbus/config.toml",
          "rootfs/etc/systemd/system/op-dbus.service");

  private static final List<String> BASE_DIRS =
      List.of(
          "bin",
          "sbin",
          "etc",
          "dev",
          "proc",
          "sys",
          "run",
          "root",
          "tmp",
          "usr/bin",
          "usr/sbin",
          "usr/local/bin",
          "var/tmp",
          "var/lib");

  private final ProcessRunner runner;
  private final Path busybox;

  public StandinGolden(ProcessRunner runner) {
    this(runner, HOST_BUSYBOX);
  }

  public StandinGolden(ProcessRunner runner, Path busybox) {
    this.runner = runner;
    this.busybox = busybox;
  }

  /**
   * Writes a complete, loadable spec folder into {@code dir} (created if needed) and returns it.
   */
  public Path extractTo(Path dir) throws OpdeployException {
    requireStaticBusybox();
    try {
      for (String entry : FILES) {
        boolean executable = entry.startsWith("+");
        String name = executable ? entry.substring(1) : entry;
        Path target = dir.resolve(name);
        Files.createDirectories(target.getParent());
        try (InputStream in = StandinGolden.class.getResourceAsStream(RESOURCES + name)) {
          if (in == null) {
            throw new IllegalStateException(
                "stand-in resource " + name + " is missing from the jar");
          }
          Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setAttribute(target, "unix:mode", executable ? 0755 : 0644);
      }
      writeBase(dir.resolve("base"));
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot write the stand-in golden to " + dir + ": " + e.getMessage(), e);
    }
    return dir;
  }

  private void writeBase(Path base) throws IOException, OpdeployException {
    for (String d : BASE_DIRS) {
      Files.createDirectories(base.resolve(d));
    }
    Files.setAttribute(base.resolve("tmp"), "unix:mode", 01777);
    Files.setAttribute(base.resolve("var/tmp"), "unix:mode", 01777);
    Files.setAttribute(base.resolve("root"), "unix:mode", 0700);
    Path binary = base.resolve("bin/busybox");
    Files.copy(busybox, binary, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.setAttribute(binary, "unix:mode", 0755);
    String applets = runner.run(busybox.toString(), "--list").stdout();
    for (String applet : applets.split("\n")) {
      Path link = base.resolve("bin").resolve(applet.strip());
      if (!applet.isBlank() && !applet.equals("busybox") && !Files.exists(link)) {
        Files.createSymbolicLink(link, Path.of("busybox"));
      }
    }
    Files.writeString(
        base.resolve("etc/os-release"),
        "NAME=\"opdeploy stand-in (busybox)\"\nID=opdeploy-standin\nPRETTY_NAME=\"opdeploy stand-in golden\"\n");
    Files.writeString(base.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    Files.writeString(base.resolve("etc/group"), "root:x:0:\n");
  }

  /** A dynamically linked busybox would find no libc inside the stand-in tree. */
  private void requireStaticBusybox() throws OpdeployException {
    String install = ": install busybox-static (apt-get install busybox-static)";
    if (!Files.isRegularFile(busybox)) {
      throw new OpdeployException(busybox + " not found" + install);
    }
    if (hasInterpreter(busybox)) {
      throw new OpdeployException(busybox + " is dynamically linked" + install);
    }
  }

  /** True when the ELF file asks for a dynamic loader (a PT_INTERP program header). */
  static boolean hasInterpreter(Path elf) throws OpdeployException {
    try {
      byte[] bytes = Files.readAllBytes(elf);
      if (bytes.length < 64
          || bytes[0] != 0x7f
          || bytes[1] != 'E'
          || bytes[2] != 'L'
          || bytes[3] != 'F') {
        throw new OpdeployException(elf + " is not an ELF program: install busybox-static");
      }
      ByteBuffer b =
          ByteBuffer.wrap(bytes)
              .order(bytes[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
      boolean is64 = bytes[4] == 2;
      long phoff = is64 ? b.getLong(0x20) : Integer.toUnsignedLong(b.getInt(0x1C));
      int phentsize = Short.toUnsignedInt(b.getShort(is64 ? 0x36 : 0x2A));
      int phnum = Short.toUnsignedInt(b.getShort(is64 ? 0x38 : 0x2C));
      for (int i = 0; i < phnum; i++) {
        if (b.getInt((int) (phoff + (long) i * phentsize)) == 3) {
          return true;
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      throw new OpdeployException(
          elf + " is not a readable ELF program: install busybox-static", e);
    }
  }
}
