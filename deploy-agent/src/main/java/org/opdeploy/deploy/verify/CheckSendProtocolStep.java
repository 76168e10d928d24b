package org.opdeploy.deploy.verify;

import org.opdeploy.btrfs.SendProtocol;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.version.Version;

/**
 * Refuses, before any stream is downloaded, a release this target's {@code btrfs receive} cannot
 * read: a protocol-2 stream on btrfs-progs older than 6.0 (Debian 11, Ubuntu 22.04) would otherwise
 * be fetched whole and then fail with "stream version 2 not supported". Runs on the proven
 * manifest, after its signature and checksum.
 */
public final class CheckSendProtocolStep {
  private final ProcessRunner runner;
  private String progsVersion;

  public CheckSendProtocolStep(ProcessRunner runner) {
    this.runner = runner;
  }

  /**
   * @throws BadInputException (exit 2) when the release needs a protocol this target cannot receive
   */
  public void run(Version version, Manifest manifest) throws OpdeployException {
    int needed = manifest.btrfs() == null ? 1 : manifest.btrfs().sendProtocol();
    if (needed <= 1) {
      return;
    }
    String progs = progsVersion();
    int receivable = SendProtocol.receivableBy(progs);
    if (needed > receivable) {
      throw new BadInputException(
          "release "
              + version
              + " was sent with btrfs send protocol "
              + needed
              + " but this target's "
              + progs
              + " receives only protocol "
              + receivable
              + ": install btrfs-progs 6.0 or later, or publish the release with send-protocol 1");
    }
  }

  private String progsVersion() throws OpdeployException {
    if (progsVersion == null) {
      progsVersion = runner.run("btrfs", "--version").stdout().strip();
    }
    return progsVersion;
  }
}
