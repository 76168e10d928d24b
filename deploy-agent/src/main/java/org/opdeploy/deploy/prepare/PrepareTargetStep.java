package org.opdeploy.deploy.prepare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opdeploy.audit.SpaceReserve;
import org.opdeploy.btrfs.SendProtocol;
import org.opdeploy.deploy.layout.TargetLayout;
import org.opdeploy.deploy.layout.TargetSettings;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.seal.TrustedKeys;
import org.opdeploy.snapshot.PrivateFolder;

/**
 * {@code target prepare}: checks that this machine can receive and run releases, and creates the
 * layout. Each check is reported; nothing is changed unless the root is on btrfs. Checks: root on
 * btrfs, btrfs-progs present and recent enough, the kernel's send stream version, overlayfs, free
 * space, the layout, the trusted keys.
 */
public final class PrepareTargetStep {
  /** {@code btrfs receive -e} and reliable received-uuid handling. */
  static final int[] MIN_PROGS = {5, 10};

  /** Receiving protocol 2 streams (compressed data) needs btrfs-progs 6.0. */
  static final int[] MIN_PROGS_V2 = {6, 0};

  public static final long DEFAULT_MIN_FREE_BYTES = 1L << 30;
  private static final Path SEND_STREAM_VERSION =
      Path.of("/sys/fs/btrfs/features/send_stream_version");
  private static final Pattern PROGS = Pattern.compile("v(\\d+)\\.(\\d+)");

  private final TargetSettings settings;
  private final ProcessRunner runner;
  private final int requiredSendProtocol;
  private final long minFreeBytes;

  /**
   * @param requiredSendProtocol the send protocol the fleet's releases use (1, or 2 for releases
   *     sent with compressed data)
   */
  public PrepareTargetStep(
      TargetSettings settings, ProcessRunner runner, int requiredSendProtocol, long minFreeBytes) {
    this.settings = settings;
    this.runner = runner;
    this.requiredSendProtocol = requiredSendProtocol;
    this.minFreeBytes = minFreeBytes;
  }

  public PrepareReport run() {
    List<PrepareCheck> checks = new ArrayList<>();
    PrepareCheck btrfsRoot = rootOnBtrfs();
    checks.add(btrfsRoot);
    checks.add(progs());
    checks.add(kernelProtocol());
    checks.add(overlayfs());
    checks.add(freeSpace());
    checks.add(
        btrfsRoot.ok()
            ? layout()
            : PrepareCheck.fail("layout", "not created: the root is not on btrfs"));
    checks.add(trustedKeys());
    return new PrepareReport(checks);
  }

  private PrepareCheck rootOnBtrfs() {
    Path existing = nearestExisting(settings.root());
    try {
      String type = Files.getFileStore(existing).type();
      return "btrfs".equals(type)
          ? PrepareCheck.pass("root on btrfs", settings.root() + " is on btrfs")
          : PrepareCheck.fail(
              "root on btrfs",
              settings.root()
                  + " is on "
                  + type
                  + ": mount a btrfs filesystem there, or pass --root DIR (setting 'root')"
                  + " naming a folder on one");
    } catch (IOException e) {
      return PrepareCheck.fail(
          "root on btrfs", "cannot inspect " + existing + ": " + e.getMessage());
    }
  }

  private PrepareCheck progs() {
    String name = "btrfs-progs";
    try {
      String out = runner.run("btrfs", "--version").stdout().strip();
      Matcher m = PROGS.matcher(out);
      if (!m.find()) {
        return PrepareCheck.fail(name, "cannot read the version from '" + out + "'");
      }
      int[] have = {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
      int[] need = requiredSendProtocol >= 2 ? MIN_PROGS_V2 : MIN_PROGS;
      String needed = "v" + need[0] + "." + need[1];
      int receivable = SendProtocol.receivableBy(out);
      String receives =
          receivable >= 2
              ? "receives send protocols 1 and 2"
              : "receives send protocol 1 only (2 needs btrfs-progs 6.0)";
      return atLeast(have, need)
          ? PrepareCheck.pass(name, out + " (needs " + needed + "; " + receives + ")")
          : PrepareCheck.fail(
              name, out + " is too old: install " + needed + " or later (" + receives + ")");
    } catch (OpdeployException e) {
      return PrepareCheck.fail(name, e.getMessage());
    }
  }

  private PrepareCheck kernelProtocol() {
    String name = "kernel send protocol";
    try {
      int have = Integer.parseInt(Files.readString(SEND_STREAM_VERSION).strip());
      return have >= requiredSendProtocol
          ? PrepareCheck.pass(
              name,
              "kernel speaks send stream version "
                  + have
                  + " (releases use "
                  + requiredSendProtocol
                  + ")")
          : PrepareCheck.fail(
              name,
              "kernel speaks send stream version "
                  + have
                  + " but releases use "
                  + requiredSendProtocol
                  + ": upgrade the kernel (6.0+)");
    } catch (IOException | NumberFormatException e) {
      return PrepareCheck.fail(
          name, SEND_STREAM_VERSION + " is unreadable: load the btrfs module (modprobe btrfs)");
    }
  }

  private PrepareCheck overlayfs() {
    try {
      boolean present = Files.readString(Path.of("/proc/filesystems")).contains("\toverlay\n");
      return present
          ? PrepareCheck.pass("overlayfs", "available")
          : PrepareCheck.fail("overlayfs", "not in /proc/filesystems: modprobe overlay");
    } catch (IOException e) {
      return PrepareCheck.fail("overlayfs", "cannot read /proc/filesystems: " + e.getMessage());
    }
  }

  private PrepareCheck freeSpace() {
    Path existing = nearestExisting(settings.root());
    try {
      long usable = Files.getFileStore(existing).getUsableSpace();
      String detail =
          (usable >> 20)
              + " MiB free under "
              + existing
              + " (needs "
              + (minFreeBytes >> 20)
              + " MiB)";
      return usable >= minFreeBytes
          ? PrepareCheck.pass("free space", detail)
          : PrepareCheck.fail("free space", detail + ": free space or prune deployments");
    } catch (IOException e) {
      return PrepareCheck.fail("free space", "cannot inspect " + existing + ": " + e.getMessage());
    }
  }

  private PrepareCheck layout() {
    TargetLayout layout = settings.layout();
    try {
      for (Path dir :
          List.of(
              layout.cacheRoot(), layout.deployments(), layout.staging(), layout.overlayRoot())) {
        Files.createDirectories(dir);
      }
      PrivateFolder.restrict(layout.root());
      // Created now so that taking the lock later needs no space (opening a file allocates none),
      // and space set aside so that audit and state writes work on a full disk.
      if (!Files.exists(layout.lockFile())) {
        Files.createFile(layout.lockFile());
      }
      SpaceReserve reserve = new SpaceReserve(layout.reserveFile());
      String reserved =
          reserve.restore()
              ? ", " + (reserve.bytes() >> 20) + " MiB set aside in " + reserve.file()
              : ", no space to set aside " + reserve.file() + " yet";
      return PrepareCheck.pass("layout", "created under " + layout.root() + " (0700)" + reserved);
    } catch (IOException | OpdeployException e) {
      return PrepareCheck.fail(
          "layout", "cannot create it under " + layout.root() + ": " + e.getMessage());
    }
  }

  private PrepareCheck trustedKeys() {
    Path keys = settings.trustedKeys();
    String name = "trusted keys";
    try {
      TrustedKeys trusted = TrustedKeys.load(keys);
      return PrepareCheck.pass(name, keys + ": " + String.join(", ", trusted.fingerprints()));
    } catch (OpdeployException e) {
      return PrepareCheck.fail(name, e.getMessage());
    }
  }

  private static boolean atLeast(int[] have, int[] need) {
    return have[0] != need[0] ? have[0] > need[0] : have[1] >= need[1];
  }

  private static Path nearestExisting(Path path) {
    Path p = path;
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p == null ? Path.of("/") : p;
  }
}
