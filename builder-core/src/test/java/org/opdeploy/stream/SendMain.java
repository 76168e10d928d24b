package org.opdeploy.stream;

import java.nio.file.Path;
import org.opdeploy.btrfs.BtrfsCli;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.snapshot.PoolLayout;
import org.opdeploy.version.Version;

/** A send in its own JVM, for tests that kill it: {@code SendMain POOL VERSION OUT}. */
public final class SendMain {
  private SendMain() {}

  public static void main(String[] args) throws Exception {
    PoolLayout pool = new PoolLayout(Path.of(args[0]), "op-dbus");
    new SendStreamStep(
            pool,
            new BtrfsCli(new ProcessRunner()),
            SendSettings.of(Version.parse(args[1]), Path.of(args[2]))
                .withWorkers(1)
                .withMaxAssetBytes(1 << 20),
            ReleaseContext.NONE,
            ProgressListener.NONE)
        .run();
  }
}
