package org.opdeploy.cli.demo;

import java.util.Map;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.progress.ProgressListener;

/**
 * Checks the machine, runs the scenario in a fresh workspace, and always cleans the workspace up.
 */
public final class DemoRun {
  private DemoRun() {}

  public static DemoReport run(
      ProcessRunner runner, Map<String, String> env, ProgressListener progress)
      throws OpdeployException {
    DemoPreflight.check(env);
    try (DemoWorkspace workspace = DemoWorkspace.create(runner)) {
      progress.info("demo workspace: " + workspace.folder());
      return new DemoScenario(workspace, runner, env, progress).run();
    }
  }
}
