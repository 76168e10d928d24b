package org.opdeploy.packaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.opdeploy.container.MountTable;
import org.opdeploy.process.ProcessResult;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;

/**
 * A clean Debian 12 machine to install the package into: an overlayfs mount of the cached tree
 * {@code ci/target-os.sh} prints (never changed: every write lands in this test's upper folder),
 * with /proc, /sys and /dev, entered with chroot. {@link #close} unmounts everything under it.
 */
final class TargetTree implements AutoCloseable {
  private static final ProcessRunner RUNNER = new ProcessRunner();
  private final Path merged;

  private TargetTree(Path merged) {
    this.merged = merged;
  }

  /** Mounts the overlay of {@code lower} at {@code dir/merged}. */
  static TargetTree mount(Path lower, Path dir) throws Exception {
    Path upper = Files.createDirectories(dir.resolve("upper"));
    Path work = Files.createDirectories(dir.resolve("work"));
    Path merged = Files.createDirectories(dir.resolve("merged"));
    RUNNER.run(
        "mount",
        "-t",
        "overlay",
        "overlay",
        "-o",
        "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work,
        merged.toString());
    TargetTree tree = new TargetTree(merged);
    try {
      // Private: nothing mounted under the tree (or unmounted from it) propagates to the host.
      RUNNER.run("mount", "--make-private", merged.toString());
      RUNNER.run("mount", "-t", "proc", "proc", merged.resolve("proc").toString());
      RUNNER.run("mount", "-t", "sysfs", "sysfs", merged.resolve("sys").toString());
      RUNNER.run("mount", "--bind", "/dev", merged.resolve("dev").toString());
    } catch (Exception e) {
      tree.close();
      throw e;
    }
    return tree;
  }

  Path path(String absolute) {
    return merged.resolve(absolute.substring(1));
  }

  /** Bind-mounts the host folder {@code source} at {@code absolute} inside the tree. */
  void bind(Path source, String absolute) throws Exception {
    Files.createDirectories(path(absolute));
    RUNNER.run("mount", "--bind", source.toString(), path(absolute).toString());
  }

  /** Runs {@code argv} inside the tree as root, with a plain system environment. */
  ProcessResult run(String... argv) throws Exception {
    // env -i: nothing of the host's environment (JAVA_HOME, say) leaks into the target.
    List<String> command =
        new ArrayList<>(
            List.of(
                "env",
                "-i",
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                "HOME=/root",
                "LANG=C.UTF-8",
                "DEBIAN_FRONTEND=noninteractive",
                "chroot",
                merged.toString()));
    command.addAll(List.of(argv));
    return RUNNER.runAllowingFailure(ProcessSpec.of(command).withTimeout(Duration.ofMinutes(5)));
  }

  @Override
  public void close() throws Exception {
    new MountTable().unmountAllUnder(merged, RUNNER);
    RUNNER.run("umount", merged.toString());
  }
}
