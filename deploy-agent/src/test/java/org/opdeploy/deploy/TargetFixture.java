package org.opdeploy.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.opdeploy.deploy.activate.DeploymentMounts;
import org.opdeploy.deploy.layout.TargetLayout;
import org.opdeploy.deploy.layout.TargetSettings;
import org.opdeploy.deploy.state.StateFile;
import org.opdeploy.deploy.state.TargetState;
import org.opdeploy.http.RetryPolicy;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.seal.SignatureCheck;
import org.opdeploy.seal.ThrowawayKey;
import org.opdeploy.store.DirectoryStore;
import org.opdeploy.testing.TemporaryBtrfs;
import org.opdeploy.version.Version;

/**
 * One build pool and one target on real loop-backed btrfs, a signed {@code dir:} store between
 * them, and a target agent whose mounts live in the test's folder. {@link #close()} unmounts and
 * detaches everything.
 */
final class TargetFixture implements AutoCloseable {
  final TemporaryBtrfs build;
  final TemporaryBtrfs target;
  final ThrowawayKey key;
  final ReleaseFactory releases;

  /** The real {@code dir:} store the releases are published to. */
  final DirectoryStore source;

  /** The same store seen as a remote source that can fail on demand. */
  final FaultySource faults;

  final RecordingProcessRunner runner = new RecordingProcessRunner();
  final RecordingServiceManager services = new RecordingServiceManager();
  final TargetSettings settings;

  TargetFixture(Path tempDir, long targetMegabytes) throws Exception {
    build = TemporaryBtrfs.create(tempDir, "build", 512);
    TemporaryBtrfs made = null;
    try {
      made = TemporaryBtrfs.create(tempDir, "target", targetMegabytes);
      key = ThrowawayKey.generate("opdeploy test <test@example.invalid>");
      releases =
          new ReleaseFactory(
              build.root(),
              Files.createDirectories(tempDir.resolve("store")),
              key.armoredSecretKey());
      source = new DirectoryStore(releases.store());
      faults = new FaultySource(releases.store());
      Path keys = tempDir.resolve("trusted.asc");
      Files.writeString(keys, key.armoredPublicKey());
      settings =
          TargetSettings.defaults()
              .withRoot(made.root().resolve("op-dbus"))
              .withTrustedKeys(keys)
              .withMount(tempDir.resolve("opt/op-dbus"))
              .withOverlay(tempDir.resolve("usr/local/op-dbus"))
              .withService(TargetSettings.ServiceMode.SYSTEMD);
    } catch (Exception | Error e) {
      if (made != null) {
        made.close();
      }
      build.close();
      throw e;
    }
    target = made;
  }

  TargetAgent agent() {
    return agent(key);
  }

  /** An agent trusting {@code trusted} instead of the key releases are signed with. */
  TargetAgent agent(ThrowawayKey trusted) {
    return agent(trusted, ProgressListener.NONE);
  }

  /** An agent that reports to {@code progress} (tests hook into steps through it). */
  TargetAgent agent(ProgressListener progress) {
    return agent(key, progress);
  }

  private TargetAgent agent(ThrowawayKey trusted, ProgressListener progress) {
    return new TargetAgent(
            settings,
            runner,
            services,
            SignatureCheck.trusting(trusted.trustedKeys()),
            progress,
            Clock.systemUTC(),
            Duration.ZERO)
        .withRetry(RetryPolicy.of(3, Duration.ofMillis(10)));
  }

  TargetLayout layout() {
    return settings.layout();
  }

  TargetState state() throws Exception {
    return new StateFile(layout().stateFile()).read();
  }

  Path deployment(String version) throws Exception {
    return layout().deployment(ReleaseFactory.NAME, Version.parse(version));
  }

  /** Publishes {@code version} with a healthy payload. */
  void publish(String version, String parent) throws Exception {
    releases.writePayload(version, 0, 256 * 1024);
    releases.release(version, parent, null, 0);
  }

  @Override
  public void close() throws Exception {
    DeploymentMounts mounts = new DeploymentMounts(new ProcessRunner());
    try {
      mounts.detach(settings.overlay());
      mounts.detach(settings.mount());
    } finally {
      target.close();
      build.close();
    }
  }
}
