package org.opdeploy.testing;

import java.nio.file.Path;
import org.opdeploy.btrfs.LoopFilesystem;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.process.ProcessRunner;

/**
 * A loop-backed btrfs filesystem for one test, inside the test's temporary folder. Use in
 * try-with-resources or close in {@code @AfterEach}: it unmounts and detaches what it attached.
 */
public final class TemporaryBtrfs implements AutoCloseable {
  private final LoopFilesystem filesystem;

  private TemporaryBtrfs(LoopFilesystem filesystem) {
    this.filesystem = filesystem;
  }

  /** A sparse {@code megabytes} MiB filesystem mounted at {@code tempDir/name}. */
  public static TemporaryBtrfs create(Path tempDir, String name, long megabytes)
      throws OpdeployException {
    HostRequirements.requireBtrfsHost();
    return new TemporaryBtrfs(
        LoopFilesystem.create(
            new ProcessRunner(),
            tempDir.resolve(name + ".img"),
            tempDir.resolve(name),
            megabytes * 1024 * 1024));
  }

  public Path root() {
    return filesystem.mountPoint();
  }

  @Override
  public void close() {
    filesystem.close();
  }
}
