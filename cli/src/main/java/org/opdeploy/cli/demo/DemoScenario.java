package org.opdeploy.cli.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.opdeploy.build.BuildAgent;
import org.opdeploy.cli.output.Bytes;
import org.opdeploy.container.Container;
import org.opdeploy.deploy.TargetAgent;
import org.opdeploy.deploy.activate.ActivationResult;
import org.opdeploy.deploy.activate.UpgradeResult;
import org.opdeploy.deploy.layout.TargetSettings;
import org.opdeploy.deploy.receive.DeployResult;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.golden.GoldenSpec;
import org.opdeploy.golden.StandinGolden;
import org.opdeploy.manifest.Compression;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.release.BuildSource;
import org.opdeploy.release.ReleaseRequest;
import org.opdeploy.release.ReleaseResult;
import org.opdeploy.seal.ReleaseSigner;
import org.opdeploy.seal.ThrowawayKey;
import org.opdeploy.secret.Secret;
import org.opdeploy.snapshot.PoolLayout;
import org.opdeploy.store.DirectoryStore;
import org.opdeploy.stream.ParentSelection;
import org.opdeploy.stream.SendSettings;
import org.opdeploy.version.Version;

/**
 * The demo's story, with the same steps the real commands run: build two signed releases of the
 * stand-in golden into a {@code dir:} store, then on a separate target filesystem prepare, deploy
 * v1.0.0, upgrade to v1.1.0 through the incremental stream, and roll back.
 */
final class DemoScenario {
  static final Version FIRST = version("v1.0.0");
  static final Version SECOND = version("v1.1.0");

  private final DemoWorkspace workspace;
  private final ProcessRunner runner;
  private final Map<String, String> env;
  private final ProgressListener progress;
  private final DemoReport report = new DemoReport();

  DemoScenario(
      DemoWorkspace workspace,
      ProcessRunner runner,
      Map<String, String> env,
      ProgressListener progress) {
    this.workspace = workspace;
    this.runner = runner;
    this.env = env;
    this.progress = progress;
  }

  DemoReport run() throws OpdeployException {
    Path work = workspace.folder();
    Path buildFs =
        report.time("create the build host's btrfs image", () -> workspace.btrfs("build"));
    Path targetFs = report.time("create the target's btrfs image", () -> workspace.btrfs("target"));
    Path specFolder = new StandinGolden(runner).extractTo(work.resolve("golden"));
    ThrowawayKey key =
        report.time(
            "generate a throw-away signing key",
            () -> ThrowawayKey.generate("opdeploy demo <demo@opdeploy.invalid>"));
    report.signer(key.fingerprint());
    Path trusted = write(work.resolve("trusted.asc"), key.armoredPublicKey());
    ReleaseSigner signer = ReleaseSigner.of(Secret.of(key.armoredSecretKey()), null, null);
    Path releases = work.resolve("releases");
    DirectoryStore store = new DirectoryStore(releases);

    PoolLayout pool = new PoolLayout(buildFs.resolve("pool"), "op-dbus");
    mkdirs(pool.pool());
    BuildAgent builder =
        new BuildAgent(pool, runner, progress, Duration.ZERO, env, null)
            .withSigner(signer)
            .withBuildSource(new BuildSource(null, null));
    Container container = builder.container("auto");
    release(FIRST, specFolder, Map.of(), builder, container, store);
    Path secondPayload = secondPayload(specFolder, work.resolve("payload-v1.1.0"));
    release(
        SECOND,
        specFolder,
        Map.of("OPDBUS_BIN", secondPayload.toString()),
        builder,
        container,
        store);

    TargetSettings settings =
        new TargetSettings(
            targetFs.resolve("op-dbus"),
            "dir:" + releases,
            trusted,
            work.resolve("mnt/opt/op-dbus"),
            work.resolve("mnt/usr/local/op-dbus"),
            TargetSettings.ServiceMode.NONE);
    TargetAgent agent = TargetAgent.forHost(settings, progress, Duration.ZERO);
    report.time(
        "target prepare",
        () -> {
          agent.prepare(2).requireReady();
          return null;
        });
    DeployResult first =
        report.time("deploy " + FIRST + " on the target", () -> agent.deploy(FIRST, store, false));
    report.target(
        "deploy " + FIRST,
        (first.incremental() ? "incremental" : "full")
            + " stream received ("
            + Bytes.format(first.streamBytes())
            + " uncompressed)");
    ActivationResult activated = report.time("activate " + FIRST, () -> agent.activate(FIRST));
    report.target("activate " + FIRST, "switched in " + millis(activated.switchTime()));
    UpgradeResult upgraded =
        report.time("upgrade to " + SECOND, () -> agent.upgrade(SECOND, store, false));
    if (!upgraded.deploy().incremental()) {
      throw new OpdeployException(
          "demo: the upgrade to " + SECOND + " used the full stream, not the incremental one");
    }
    report.target(
        "upgrade to " + SECOND,
        "incremental stream from "
            + upgraded.deploy().parent()
            + " received ("
            + Bytes.format(upgraded.deploy().streamBytes())
            + " uncompressed); health check passed in "
            + millis(upgraded.health().took()));
    ActivationResult rolledBack = report.time("roll back", () -> agent.rollback(Optional.empty()));
    report.target(
        "rollback",
        "back on " + rolledBack.version() + ", switched in " + millis(rolledBack.switchTime()));
    int entries = agent.verifyAudit();
    report.target("audit verify", entries + " entries, hash chain intact");
    report.active(java.util.Objects.toString(agent.status().active(), null));
    return report;
  }

  private void release(
      Version version,
      Path specFolder,
      Map<String, String> extraEnv,
      BuildAgent agent,
      Container container,
      DirectoryStore store)
      throws OpdeployException {
    Map<String, String> specEnv = new HashMap<>(env);
    specEnv.remove("OPDBUS_BIN");
    specEnv.putAll(extraEnv);
    GoldenSpec spec = GoldenSpec.load(specFolder, specEnv);
    ReleaseRequest request =
        new ReleaseRequest(
            version,
            ParentSelection.AUTO,
            Compression.zstd(3),
            SendSettings.DEFAULT_MAX_ASSET_BYTES,
            null,
            store,
            "Demo release " + version + ".",
            false,
            true);
    ReleaseResult result =
        report.time(
            "release " + version + ": refresh, validate, snapshot, send, sign, publish",
            () -> agent.release(Optional.of(version), store, v -> request, spec, container));
    report.release(result.manifest(), result.timings());
    report.target(
        "build " + version,
        "provisioning step ran in " + container.name() + ", published to dir: store");
  }

  /** The stand-in payload with a change, as a new op-dbus build would bring. */
  private static Path secondPayload(Path specFolder, Path folder) throws OpdeployException {
    try {
      Files.createDirectories(folder);
      Path payload = folder.resolve("op-dbus");
      String script =
          Files.readString(specFolder.resolve("op-dbus-standin.sh"), StandardCharsets.UTF_8);
      Files.writeString(
          payload, script + "# stand-in build 1.1.0: faster startup, new query fields\n");
      payload.toFile().setExecutable(true);
      return payload;
    } catch (IOException e) {
      throw new OpdeployException("cannot write the demo's second payload: " + e.getMessage(), e);
    }
  }

  private static Path write(Path file, String text) throws OpdeployException {
    try {
      return Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new OpdeployException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void mkdirs(Path dir) throws OpdeployException {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new OpdeployException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  static String millis(Duration d) {
    return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
  }

  private static Version version(String text) {
    try {
      return Version.parse(text);
    } catch (OpdeployException e) {
      throw new IllegalStateException(e);
    }
  }
}
