package org.opdeploy.golden;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.opdeploy.btrfs.Btrfs;
import org.opdeploy.container.MountTable;
import org.opdeploy.container.OutputLines;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.process.ChildEnvironment;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;
import org.opdeploy.progress.ProgressListener;

/**
 * Creates the golden subvolume and fills it from the spec's base. It is all or nothing: when
 * filling fails, whatever was mounted inside is unmounted and the half-made subvolume deleted, so
 * the next refresh starts clean instead of provisioning a broken tree.
 */
final class BaseCreator {
  private final Btrfs btrfs;
  private final ProcessRunner runner;
  private final AptSources apt;
  private final ProgressListener listener;

  BaseCreator(Btrfs btrfs, ProcessRunner runner, AptSources apt, ProgressListener listener) {
    this.btrfs = btrfs;
    this.runner = runner;
    this.apt = apt;
    this.listener = listener;
  }

  void create(BaseSpec base, Path golden, Duration timeout) throws OpdeployException {
    btrfs.createSubvolume(golden);
    try {
      fill(base, golden, timeout);
    } catch (OpdeployException | RuntimeException e) {
      try {
        new MountTable().unmountAllUnder(golden, runner);
        btrfs.delete(golden);
      } catch (OpdeployException cleanup) {
        e.addSuppressed(cleanup);
        throw new OpdeployException(
            "creating the golden base ("
                + base.describe()
                + ") failed and "
                + golden
                + " could not be deleted ("
                + cleanup.getMessage()
                + "): delete it with "
                + "`btrfs subvolume delete "
                + golden
                + "` before refreshing again",
            e);
      }
      throw new OpdeployException(
          "creating the golden base ("
              + base.describe()
              + ") failed, "
              + "the half-made "
              + golden
              + " was deleted: "
              + e.getMessage(),
          e);
    }
  }

  private void fill(BaseSpec base, Path golden, Duration timeout) throws OpdeployException {
    String target = golden.toString();
    if (base instanceof BaseSpec.Debootstrap d) {
      List<String> argv =
          new ArrayList<>(List.of("debootstrap", "--variant=" + d.variant(), d.suite(), target));
      String mirror = d.mirror() != null ? d.mirror() : apt.mirrorFor(d.suite());
      if (mirror != null) {
        argv.add(mirror);
      }
      listener.info(
          "debootstrap "
              + d.suite()
              + " ("
              + d.variant()
              + ") from "
              + (mirror == null ? "debootstrap's default mirror" : mirror));
      // debootstrap downloads: a build host behind a proxy needs its proxy settings.
      stream(ProcessSpec.of(argv).passing(ChildEnvironment.PROXIES), timeout, "debootstrap");
    } else if (base instanceof BaseSpec.Directory dir) {
      // "/." copies the folder's content, dotfiles too, into the existing subvolume.
      stream(
          ProcessSpec.of("cp", "-a", "--reflink=auto", dir.path() + "/.", target), timeout, "cp");
    } else if (base instanceof BaseSpec.Tarball tar) {
      stream(
          ProcessSpec.of(
              "tar",
              "--extract",
              "--file=" + tar.path(),
              "--directory=" + target,
              "--same-owner",
              "--numeric-owner",
              "--preserve-permissions",
              "--xattrs",
              "--xattrs-include=*",
              "--acls"),
          timeout,
          "tar");
    }
    // BaseSpec.Empty: the subvolume is the base.
  }

  private void stream(ProcessSpec spec, Duration timeout, String tag) throws OpdeployException {
    OutputLines lines = new OutputLines(line -> listener.info(tag + ": " + line));
    runner.run(spec.withTimeout(timeout).withMergedStderr().withStdout(lines::read));
  }
}
