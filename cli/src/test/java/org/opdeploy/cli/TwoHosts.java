package org.opdeploy.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opdeploy.container.MountTable;
import org.opdeploy.golden.StandinGolden;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.seal.ThrowawayKey;
import org.opdeploy.secret.Secret;
import org.opdeploy.testing.TemporaryBtrfs;

/**
 * A build host and a target on two loop-backed btrfs filesystems, with the stand-in golden, a
 * throw-away signing key the target trusts, and every setting flag pointing at them. Records every
 * run so tests can scan all output.
 */
final class TwoHosts implements AutoCloseable {
  final Path dir;
  final TemporaryBtrfs build;
  final TemporaryBtrfs target;
  final ThrowawayKey key;
  final Map<String, String> env = new HashMap<>();
  final List<CliRun> runs = new ArrayList<>();

  private TwoHosts(Path dir, TemporaryBtrfs build, TemporaryBtrfs target, ThrowawayKey key) {
    this.dir = dir;
    this.build = build;
    this.target = target;
    this.key = key;
  }

  /** {@code passphrase} may be null for an unprotected key. */
  static TwoHosts create(Path dir, String passphrase) throws Exception {
    TemporaryBtrfs build = TemporaryBtrfs.create(dir, "build", 1024);
    TemporaryBtrfs target = TemporaryBtrfs.create(dir, "target", 1024);
    Files.createDirectories(build.root().resolve("pool"));
    new StandinGolden(new ProcessRunner()).extractTo(dir.resolve("golden"));
    ThrowawayKey key =
        ThrowawayKey.generate(
            "test <test@opdeploy.invalid>",
            passphrase == null ? null : Secret.of(passphrase),
            java.time.Instant.now(),
            null);
    Files.writeString(dir.resolve("trusted.asc"), key.armoredPublicKey());
    TwoHosts hosts = new TwoHosts(dir, build, target, key);
    hosts.env.put("OPDEPLOY_SIGNING_KEY", key.armoredSecretKey());
    if (passphrase != null) {
      hosts.env.put("OPDEPLOY_SIGNING_PASSPHRASE", passphrase);
    }
    return hosts;
  }

  Path pool() {
    return build.root().resolve("pool");
  }

  /** The target's root (the {@code --root} every command gets). */
  Path targetRoot() {
    return target.root().resolve("op-dbus");
  }

  /** Runs opdeploy with every setting pointing at these hosts, then {@code args}. */
  CliRun run(String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--pool",
                pool().toString(),
                "--golden",
                dir.resolve("golden").toString(),
                "--root",
                target.root().resolve("op-dbus").toString(),
                "--trusted-keys",
                dir.resolve("trusted.asc").toString(),
                "--service",
                "none",
                "--mount",
                dir.resolve("mnt/opt").toString(),
                "--overlay",
                dir.resolve("mnt/overlay").toString()));
    all.addAll(List.of(args));
    CliRun run = CliRun.of(env, all.toArray(String[]::new));
    runs.add(run);
    return run;
  }

  @Override
  public void close() throws Exception {
    new MountTable().unmountAllUnder(dir.resolve("mnt"), new ProcessRunner());
    target.close();
    build.close();
  }
}
