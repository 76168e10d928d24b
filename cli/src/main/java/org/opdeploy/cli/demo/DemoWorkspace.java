package org.opdeploy.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.opdeploy.btrfs.LoopFilesystem;
import org.opdeploy.container.MountTable;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.io.FileTrees;
import org.opdeploy.process.ProcessRunner;

/**
 * The demo's scratch space: a temporary folder holding two loop-backed btrfs images (build host and
 * target) and whatever the run mounts below it. {@link #close()} unmounts everything below the
 * folder, detaches the loop devices and deletes the folder — on success, on failure, and from the
 * shutdown hook when the user presses Ctrl-C.
 */
public final class DemoWorkspace implements AutoCloseable {
  private static final long IMAGE_BYTES = 1536L * 1024 * 1024;

  private final ProcessRunner runner;
  private final Path folder;
  private final List<LoopFilesystem> filesystems = new ArrayList<>();
  private final Thread shutdownHook;
  private boolean closed;

  private DemoWorkspace(ProcessRunner runner, Path folder) {
    this.runner = runner;
    this.folder = folder;
    this.shutdownHook =
        new Thread(
            () -> {
              System.err.println(
                  "opdeploy demo: interrupted: removing its mounts, loop devices and images");
              close();
            },
            "demo-cleanup");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  public static DemoWorkspace create(ProcessRunner runner) throws OpdeployException {
    try {
      return new DemoWorkspace(runner, Files.createTempDirectory("opdeploy-demo-"));
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot create the demo's temporary folder: " + e.getMessage(), e);
    }
  }

  public Path folder() {
    return folder;
  }

  /** A fresh sparse btrfs filesystem mounted at {@code <folder>/<name>}. */
  public synchronized Path btrfs(String name) throws OpdeployException {
    LoopFilesystem fs =
        LoopFilesystem.create(
            runner, folder.resolve(name + ".img"), folder.resolve(name), IMAGE_BYTES);
    filesystems.add(fs);
    return fs.mountPoint();
  }

  /** The loop devices attached so far, for the summary. */
  public synchronized List<String> devices() {
    return filesystems.stream().map(LoopFilesystem::device).toList();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Already shutting down: this is the hook running.
    }
    try {
      new MountTable().unmountAllUnder(folder, runner);
    } catch (OpdeployException e) {
      System.err.println("opdeploy demo: warning: " + e.getMessage());
    }
    for (int i = filesystems.size() - 1; i >= 0; i--) {
      filesystems.get(i).close();
    }
    try {
      FileTrees.deleteTree(folder);
    } catch (OpdeployException e) {
      System.err.println("opdeploy demo: warning: " + e.getMessage());
      FileTrees.deleteQuietly(folder);
    }
  }
}
