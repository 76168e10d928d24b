package org.opdeploy.deploy.space;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.opdeploy.audit.SpaceReserve;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.version.Version;

/**
 * Refuses a release that does not fit before a byte of it is downloaded or received: what it needs
 * is the bytes still to download, plus the whole uncompressed stream when it is received (what
 * {@code btrfs receive} writes, at most), plus a margin; what there is, is the free space of the
 * filesystem holding the root.
 *
 * <p>Free space is statvfs's {@code f_bavail}, not {@code btrfs filesystem usage}: for btrfs the
 * kernel computes it from the free space of the data block groups plus the unallocated space usable
 * under the data profile, and reports 0 once metadata can no longer grow, which is the figure
 * {@code btrfs filesystem usage} prints as "Free (estimated)"; it needs no root, no child process
 * and no parsing, and it is what {@code df} shows the operator.
 *
 * <p>The margin, {@value #MARGIN_BYTES} bytes plus {@value #MARGIN_PERCENT}% of what is written,
 * covers btrfs metadata (checksums, inodes, extent items; DUP on one device) that the data sizes do
 * not count, and leaves room for the state and audit writes after the receive. Compression on the
 * mount only makes the estimate safer.
 */
public final class CheckFreeSpaceStep {
  public static final long MARGIN_BYTES = 64L << 20;
  public static final int MARGIN_PERCENT = 5;

  private final Path root;

  public CheckFreeSpaceStep(Path root) {
    this.root = root;
  }

  /** The margin added to {@code written} bytes. */
  public static long margin(long written) {
    return MARGIN_BYTES + written / 100 * MARGIN_PERCENT;
  }

  /**
   * Passes when {@code download + receive} bytes and their margin fit; else fails with exit 2
   * naming both numbers. {@code what} names the release ({@code v2.0.0}).
   */
  public void run(Version version, long download, long receive) throws OpdeployException {
    long written = download + receive;
    long needed = written + margin(written);
    long free = free();
    if (free < needed) {
      throw new InsufficientSpaceException(
          "not enough free space for "
              + version
              + " on the filesystem of "
              + root
              + ": needs "
              + needed
              + " bytes (download "
              + download
              + " + receive "
              + receive
              + " + margin "
              + margin(written)
              + "), "
              + free
              + " bytes free; remove old versions (opdeploy target prune --keep N)"
              + " or grow the filesystem",
          needed,
          free);
    }
  }

  private long free() throws OpdeployException {
    Path existing = root;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    try {
      return SpaceReserve.freeBytes(existing == null ? Path.of("/") : existing);
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot read the free space of " + root + ": " + e.getMessage(), e);
    }
  }
}
