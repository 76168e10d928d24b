package org.opdeploy.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.opdeploy.btrfs.BtrfsCli;
import org.opdeploy.container.MountTable;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.snapshot.PoolLayout;
import org.opdeploy.testing.HostRequirements;
import org.opdeploy.testing.TemporaryBtrfs;

/** A loop-backed pool and the stand-in spec, for the golden integration tests. */
final class GoldenFixture implements AutoCloseable {
  final ProcessRunner runner = new ProcessRunner();
  final BtrfsCli btrfs = new BtrfsCli(runner);
  final TemporaryBtrfs fs;
  final PoolLayout pool;
  final Path specDir;

  GoldenFixture(Path tmp) throws OpdeployException {
    this(tmp, 400);
  }

  GoldenFixture(Path tmp, long poolMegabytes) throws OpdeployException {
    HostRequirements.requireProgram("busybox", "busybox-static");
    HostRequirements.requireProgram("systemd-nspawn", "systemd-container");
    HostRequirements.requireProgram("unshare", "util-linux");
    fs = TemporaryBtrfs.create(tmp, "pool", poolMegabytes);
    pool = new PoolLayout(fs.root(), "op-dbus");
    specDir = new StandinGolden(runner).extractTo(tmp.resolve("standin"));
  }

  GoldenSpec standin() throws OpdeployException {
    return GoldenSpec.load(specDir, Map.of());
  }

  /** The stand-in with its steps replaced by {@code scripts} (name → body) and a step timeout. */
  GoldenSpec withSteps(String timeout, Map<String, String> scripts) throws Exception {
    StringBuilder steps = new StringBuilder("steps:\n");
    for (Map.Entry<String, String> s : new java.util.TreeMap<>(scripts).entrySet()) {
      Path file = specDir.resolve("steps").resolve(s.getKey());
      Files.writeString(file, "#!/bin/sh\n" + s.getValue() + "\n");
      Files.setAttribute(file, "unix:mode", 0755);
      steps.append("  - steps/").append(s.getKey()).append('\n');
    }
    String yaml =
        Files.readString(specDir.resolve("golden.yaml"))
            .replaceAll("(?s)steps:\n  - steps/10-build-info.sh\n", steps.toString())
            .replace("step-timeout: 5m", "step-timeout: " + timeout);
    Files.writeString(specDir.resolve("golden.yaml"), yaml);
    return GoldenSpec.load(specDir, Map.of());
  }

  Path golden() {
    return pool.golden();
  }

  String read(String pathInGolden) throws IOException {
    return Files.readString(golden().resolve(pathInGolden.substring(1)));
  }

  void assertNothingMountedInGolden() throws OpdeployException {
    List<Path> mounts = new MountTable().mountsUnder(golden());
    assertThat(mounts).as("mounts left under the golden in /proc/self/mountinfo").isEmpty();
  }

  @Override
  public void close() {
    fs.close();
  }
}
