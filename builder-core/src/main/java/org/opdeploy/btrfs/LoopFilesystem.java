package org.opdeploy.btrfs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.process.ProcessRunner;

/**
 * A btrfs filesystem in an image file on a loop device, mounted at a folder: what the demo and the
 * integration tests stand on. {@link #close()} unmounts, detaches and deletes everything it made,
 * even after a partial {@link #create}.
 */
public final class LoopFilesystem implements AutoCloseable {
  private final ProcessRunner runner;
  private final Path image;
  private final Path mountPoint;
  private String device;
  private boolean mounted;

  private LoopFilesystem(ProcessRunner runner, Path image, Path mountPoint) {
    this.runner = runner;
    this.image = image;
    this.mountPoint = mountPoint;
  }

  /**
   * Creates a sparse image of {@code bytes}, formats it btrfs and mounts it at {@code mountPoint}.
   */
  public static LoopFilesystem create(ProcessRunner runner, Path image, Path mountPoint, long bytes)
      throws OpdeployException {
    LoopFilesystem fs = new LoopFilesystem(runner, image, mountPoint);
    try {
      fs.setUp(bytes);
      return fs;
    } catch (OpdeployException | RuntimeException e) {
      fs.close();
      throw e;
    }
  }

  private void setUp(long bytes) throws OpdeployException {
    try {
      Files.createDirectories(mountPoint);
      try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
        file.setLength(bytes);
      }
    } catch (IOException e) {
      throw new OpdeployException("cannot create image " + image + ": " + e.getMessage(), e);
    }
    device = runner.run("losetup", "--find", "--show", image.toString()).stdout().strip();
    runner.run("mkfs.btrfs", "-q", "-f", device);
    runner.run("mount", "-o", "compress=zstd:1", device, mountPoint.toString());
    mounted = true;
  }

  public Path mountPoint() {
    return mountPoint;
  }

  public String device() {
    return device;
  }

  /** Undoes everything; safe to call twice and after a failed create. Never throws. */
  @Override
  public void close() {
    if (mounted) {
      if (!quietly("umount", mountPoint.toString())) {
        quietly("umount", "--lazy", mountPoint.toString());
      }
      mounted = false;
    }
    if (device != null) {
      quietly("losetup", "-d", device);
      device = null;
    }
    try {
      Files.deleteIfExists(image);
      Files.deleteIfExists(mountPoint);
    } catch (IOException e) {
      // Left for the caller's temporary folder cleanup; nothing is attached any more.
    }
  }

  private boolean quietly(String... argv) {
    try {
      runner.run(argv);
      return true;
    } catch (OpdeployException e) {
      return false;
    }
  }
}
