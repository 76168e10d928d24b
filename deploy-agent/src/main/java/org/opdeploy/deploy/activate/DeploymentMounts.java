package org.opdeploy.deploy.activate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.opdeploy.container.MountTable;
import org.opdeploy.deploy.state.CrashPoint;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.process.ProcessRunner;

/**
 * The two mounts of the active deployment: a read-only bind mount at {@code mount}, and an
 * overlayfs at {@code overlay} whose lower layer is the deployment and whose upper and work folders
 * live under {@code <root>/overlays/<V>/}, so each version keeps its own writable layer. Old mounts
 * are detached lazily: a process still holding a file of the old version keeps it, new opens see
 * the new one.
 */
public final class DeploymentMounts {
  private final ProcessRunner runner;

  public DeploymentMounts(ProcessRunner runner) {
    this.runner = runner;
  }

  /**
   * Replaces whatever is mounted at {@code mountPoint} by a read-only bind of {@code deployment}.
   */
  public void bindReadOnly(Path deployment, Path mountPoint) throws OpdeployException {
    prepare(mountPoint);
    detach(mountPoint);
    CrashPoint.reached("bind-detached"); // the mount point is empty until the next line
    runner.run("mount", "--bind", "-o", "ro", deployment.toString(), mountPoint.toString());
  }

  /** Replaces whatever is mounted at {@code mountPoint} by an overlay on {@code deployment}. */
  public void overlay(Path deployment, Path upper, Path work, Path mountPoint)
      throws OpdeployException {
    for (Path path : List.of(deployment, upper, work)) {
      if (path.toString().matches(".*[,:\\\\].*")) {
        throw new BadInputException(
            path
                + " cannot be an overlayfs layer: ',', ':' and '\\' are not allowed: pass --root DIR"
                + " (setting 'root') without them");
      }
    }
    prepare(mountPoint);
    try {
      Files.createDirectories(upper);
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new OpdeployException("cannot create " + upper.getParent() + ": " + e.getMessage(), e);
    }
    detach(mountPoint);
    CrashPoint.reached("overlay-detached");
    runner.run(
        "mount",
        "-t",
        "overlay",
        "overlay",
        "-o",
        "lowerdir=" + deployment + ",upperdir=" + upper + ",workdir=" + work,
        mountPoint.toString());
  }

  /**
   * Copies the writable layer {@code fromUpper} into {@code toUpper} (created) with everything an
   * overlay layer holds: owners, modes, times, xattrs (opaque folders), whiteouts (device nodes),
   * reflinked where the filesystem can.
   */
  public void copyLayer(Path fromUpper, Path toUpper) throws OpdeployException {
    try {
      Files.createDirectories(toUpper);
    } catch (IOException e) {
      throw new OpdeployException("cannot create " + toUpper + ": " + e.getMessage(), e);
    }
    runner.run("cp", "-a", "--reflink=auto", "--", fromUpper + "/.", toUpper + "/");
  }

  /** Detaches every mount stacked on {@code mountPoint}. */
  public void detach(Path mountPoint) throws OpdeployException {
    for (int i = new MountTable().countAt(mountPoint); i > 0; i--) {
      runner.run("umount", "--lazy", mountPoint.toString());
    }
  }

  /** True when something is mounted at {@code mountPoint}. */
  public boolean isMounted(Path mountPoint) throws OpdeployException {
    return new MountTable().countAt(mountPoint) > 0;
  }

  private static void prepare(Path mountPoint) throws OpdeployException {
    try {
      Files.createDirectories(mountPoint);
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot create mount point " + mountPoint + ": " + e.getMessage(), e);
    }
  }
}
