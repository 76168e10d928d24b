package org.opdeploy.bench;

import java.nio.file.Path;
import org.opdeploy.btrfs.BtrfsCli;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.snapshot.PoolLayout;
import org.opdeploy.snapshot.SnapshotGoldenStep;
import org.opdeploy.stream.ParentSelection;
import org.opdeploy.stream.ReleaseContext;
import org.opdeploy.stream.SendResult;
import org.opdeploy.stream.SendSettings;
import org.opdeploy.stream.SendStreamStep;
import org.opdeploy.version.Version;

/**
 * Drives the snapshot and send steps the way the CLI does, for {@code ci/bench/send.sh} on a
 * checkout without the CLI: {@code snapshot POOL NAME VERSION} or {@code send POOL NAME VERSION
 * PARENT OUT}.
 */
public final class SendDriver {
  private SendDriver() {}

  public static void main(String[] args) throws Exception {
    try {
      PoolLayout layout = new PoolLayout(Path.of(args[1]), args[2]);
      BtrfsCli btrfs = new BtrfsCli(new ProcessRunner());
      Version version = Version.parse(args[3]);
      if (args[0].equals("snapshot")) {
        System.out.println(new SnapshotGoldenStep(layout, btrfs, version).run().path());
        return;
      }
      SendSettings settings =
          SendSettings.of(version, Path.of(args[5])).withParent(ParentSelection.parse(args[4]));
      SendResult result =
          new SendStreamStep(
                  layout,
                  btrfs,
                  settings,
                  ReleaseContext.NONE,
                  new org.opdeploy.progress.ProgressListener() {})
              .run();
      result.files().forEach(System.out::println);
    } catch (OpdeployException e) {
      System.err.println("opdeploy: " + e.getMessage());
      System.exit(e.exitCode().code());
    }
  }
}
