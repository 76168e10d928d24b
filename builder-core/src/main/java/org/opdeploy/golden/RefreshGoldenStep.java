package org.opdeploy.golden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opdeploy.btrfs.Btrfs;
import org.opdeploy.container.Container;
import org.opdeploy.container.ContainerResult;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.io.FileTrees;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.snapshot.PoolLayout;
import org.opdeploy.snapshot.PrivatePool;

/**
 * {@code opdeploy golden refresh}: creates {@code <pool>/@<name>-golden} from the spec's base when
 * it does not exist, then on every refresh copies the {@code rootfs/} overlay over it, installs the
 * payload and runs each step inside it. The first failing step stops the refresh.
 */
public final class RefreshGoldenStep {
  /** Where steps are staged inside the golden: nspawn gives the container a private /tmp. */
  static final String STAGING = "/var/tmp/opdeploy";

  private final GoldenSpec spec;
  private final PoolLayout pool;
  private final Btrfs btrfs;
  private final Container container;
  private final RefreshOptions options;
  private final ProgressListener listener;
  private final ProcessRunner runner;

  public RefreshGoldenStep(
      GoldenSpec spec,
      PoolLayout pool,
      Btrfs btrfs,
      Container container,
      RefreshOptions options,
      ProgressListener listener) {
    this(spec, pool, btrfs, container, options, listener, new ProcessRunner());
  }

  /** With the {@link ProcessRunner} that runs debootstrap, cp and tar for the base. */
  public RefreshGoldenStep(
      GoldenSpec spec,
      PoolLayout pool,
      Btrfs btrfs,
      Container container,
      RefreshOptions options,
      ProgressListener listener,
      ProcessRunner runner) {
    this.spec = spec;
    this.pool = pool;
    this.btrfs = btrfs;
    this.container = container;
    this.options = options;
    this.listener = listener;
    this.runner = runner;
  }

  public RefreshResult run() throws OpdeployException {
    long start = System.nanoTime();
    Path golden = pool.golden();
    Duration timeout = options.stepTimeout() != null ? options.stepTimeout() : spec.stepTimeout();
    btrfs.requireBtrfs(pool.pool(), "pool");
    PrivatePool.restrict(pool, listener);
    boolean created = false;
    if (!Files.exists(golden, LinkOption.NOFOLLOW_LINKS)) {
      listener.stepStarted(
          "golden: create " + golden.getFileName() + " (" + spec.base().describe() + ")");
      new BaseCreator(btrfs, runner, new AptSources(Path.of("/etc/apt")), listener)
          .create(spec.base(), golden, timeout);
      listener.stepFinished("golden: create " + golden.getFileName());
      created = true;
    } else if (!btrfs.isSubvolume(golden)) {
      throw new BadInputException(
          golden + " exists but is not a btrfs subvolume: move it away and refresh again");
    } else if (btrfs.isReadOnly(golden)) {
      throw new BadInputException(
          golden
              + " is read-only: the golden must be writable (btrfs property set "
              + golden
              + " ro false)");
    }
    int changed = installFiles(golden);
    List<RefreshResult.StepRun> runs = runSteps(golden, timeout);
    return new RefreshResult(
        golden,
        created,
        created ? spec.base().describe() : null,
        spec.steps().isEmpty() ? "none" : container.name(),
        changed,
        runs,
        Duration.ofNanos(System.nanoTime() - start));
  }

  private int installFiles(Path golden) throws OpdeployException {
    TreeInstaller installer = new TreeInstaller(golden);
    int changed = 0;
    if (spec.rootfs() != null) {
      listener.stepStarted("golden: rootfs overlay");
      changed += installer.installOverlay(spec.rootfs());
      listener.stepFinished("golden: rootfs overlay");
    }
    if (!spec.payload().isEmpty()) {
      listener.stepStarted("golden: payload");
      for (PayloadFile file : spec.payload()) {
        try {
          changed += installer.installFile(file.from(), file.to(), file.mode()) ? 1 : 0;
        } catch (IOException e) {
          throw new OpdeployException(
              "cannot install payload "
                  + file.from()
                  + " as "
                  + file.to()
                  + " in "
                  + golden
                  + ": "
                  + e.getMessage(),
              e);
        }
      }
      listener.stepFinished("golden: payload");
    }
    return changed;
  }

  private List<RefreshResult.StepRun> runSteps(Path golden, Duration timeout)
      throws OpdeployException {
    List<RefreshResult.StepRun> runs = new ArrayList<>();
    if (spec.steps().isEmpty()) {
      return runs;
    }
    Path staging = stage(golden);
    boolean succeeded = false;
    try {
      int index = 0;
      for (Path step : spec.steps()) {
        String name = spec.stepName(step);
        String staged = String.format("%s/%02d-%s", STAGING, index++, step.getFileName());
        copyScript(step, golden, staged);
        listener.stepStarted("golden: " + name);
        ContainerResult result =
            container.run(
                golden,
                List.of(staged),
                environment(),
                timeout,
                line -> listener.info(name + ": " + line));
        if (!result.succeeded()) {
          throw new StepFailedException(
              name, result.exitCode(), result.timedOut(), timeout, result.outputTail());
        }
        listener.stepFinished("golden: " + name);
        runs.add(new RefreshResult.StepRun(name, result.elapsed()));
      }
      succeeded = true;
    } finally {
      try {
        FileTrees.deleteTree(staging);
      } catch (OpdeployException e) {
        // A failed step's own error matters more than leftover copies of the scripts.
        if (succeeded) {
          throw e;
        }
        listener.warn(e.getMessage());
      }
    }
    return runs;
  }

  private Map<String, String> environment() {
    return options.version() == null
        ? Map.of()
        : Map.of("OPDEPLOY_VERSION", options.version().text());
  }

  /** A fresh, root-only staging folder; a crashed run's leftovers are removed first. */
  private Path stage(Path golden) throws OpdeployException {
    try {
      Path varTmp = RootedPath.resolve(golden, "/var/tmp", false);
      if (!Files.exists(varTmp)) {
        RootedPath.resolve(golden, "/var", true);
        Files.createDirectory(varTmp);
        Files.setAttribute(varTmp, "unix:mode", 01777);
      }
      Path staging = varTmp.resolve("opdeploy");
      FileTrees.deleteTree(staging);
      Files.createDirectory(staging);
      Files.setAttribute(staging, "unix:mode", 0700);
      return staging;
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot stage steps in " + golden + STAGING + ": " + e.getMessage(), e);
    }
  }

  private static void copyScript(Path step, Path golden, String staged) throws OpdeployException {
    try {
      Path target = RootedPath.parentResolved(golden, staged, false);
      Files.copy(step, target);
      Files.setAttribute(target, "unix:mode", 0700);
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot stage step " + step + " in " + golden + ": " + e.getMessage(), e);
    }
  }
}
