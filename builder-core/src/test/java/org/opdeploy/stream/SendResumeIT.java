package org.opdeploy.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.btrfs.BtrfsCli;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.snapshot.PoolLayout;
import org.opdeploy.snapshot.SnapshotGoldenStep;
import org.opdeploy.testing.HostRequirements;
import org.opdeploy.testing.TemporaryBtrfs;
import org.opdeploy.version.Version;

/**
 * Issue 10.13: a send killed while it renamed its files into place is restarted cleanly by the next
 * send of the version, instead of refusing the folder until someone removes it by hand; a finished
 * send and files opdeploy did not write are still refused.
 */
class SendResumeIT {
  @TempDir Path temp;
  private final ProcessRunner runner = new ProcessRunner();
  private final BtrfsCli btrfs = new BtrfsCli(runner);
  private final List<String> log = new ArrayList<>();
  private TemporaryBtrfs pool;
  private PoolLayout layout;

  @BeforeEach
  void createPool() throws Exception {
    HostRequirements.requireProgram("sha256sum", "coreutils");
    pool = TemporaryBtrfs.create(temp, "pool", 512);
    layout = new PoolLayout(pool.root(), "op-dbus");
    btrfs.createSubvolume(layout.golden());
    new GoldenTree().populate(layout.golden(), 4 << 20);
    new SnapshotGoldenStep(layout, btrfs, Version.parse("v1.0.0")).run();
  }

  @AfterEach
  void removePool() {
    pool.close();
  }

  private SendResult send(Path out) throws OpdeployException {
    ProgressListener listener =
        new ProgressListener() {
          @Override
          public synchronized void info(String line) {
            log.add(line);
          }
        };
    return new SendStreamStep(
            layout,
            btrfs,
            SendSettings.of(Version.parse("v1.0.0"), out).withWorkers(1),
            ReleaseContext.NONE,
            listener)
        .run();
  }

  private void assertCompleteAndClean(Path out) throws Exception {
    assertThat(names(out))
        .containsExactly(
            "SHA256SUMS",
            "op-dbus-v1.0.0.manifest.json",
            "op-dbus-v1.0.0.send.zst",
            "op-dbus-v1.0.0.send.zst.sha256");
    runner.run(
        ProcessSpec.of("sha256sum", "--strict", "-c", "SHA256SUMS").withWorkingDirectory(out));
  }

  @Test
  void aSendKilledAfterItsFirstRenameIsRestartedCleanly() throws Exception {
    Path out = temp.resolve("out");
    send(out);
    // What a SIGKILL right after the first rename leaves: the marker, the stream under its asset
    // name, everything else still under its temporary name, no SHA256SUMS.
    for (String name :
        List.of("SHA256SUMS", "op-dbus-v1.0.0.manifest.json", "op-dbus-v1.0.0.send.zst.sha256")) {
      Files.move(out.resolve(name), out.resolve("." + name + ".tmp"));
    }
    Files.createFile(out.resolve(".op-dbus-v1.0.0.send-incomplete"));
    Files.writeString(out.resolve("notes.txt"), "not opdeploy's\n");

    send(out);

    assertThat(log)
        .contains(
            "removed the files of an interrupted send of v1.0.0 from " + out + ": sending again");
    assertThat(Files.readString(out.resolve("notes.txt"))).isEqualTo("not opdeploy's\n");
    Files.delete(out.resolve("notes.txt"));
    assertCompleteAndClean(out);
  }

  @Test
  void aSendKilledAtAnyMomentConvergesOnTheNextRun() throws Exception {
    Path out = temp.resolve("out");
    for (long delay : new long[] {300, 900, 1500, 2500}) {
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  SendMain.class.getName(),
                  pool.root().toString(),
                  "v1.0.0",
                  out.toString())
              .redirectErrorStream(true)
              .redirectOutput(temp.resolve("child.log").toFile())
              .start();
      Thread.sleep(delay);
      child.descendants().forEach(ProcessHandle::destroyForcibly);
      child.destroyForcibly(); // SIGKILL: no cleanup runs
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      if (Files.exists(out.resolve("SHA256SUMS"))) {
        break; // this machine finished the send before the kill: the earlier kills were mid-send
      }
      if (Files.isDirectory(out)) {
        send(out);
        assertCompleteAndClean(out);
        try (Stream<Path> files = Files.list(out)) {
          files.forEach(f -> deleteQuietly(f));
        }
      }
    }
  }

  @Test
  void aFinishedSendAndFilesOpdeployDidNotWriteAreStillRefused() throws Exception {
    Path out = temp.resolve("out");
    send(out);
    Files.createFile(
        out.resolve(".op-dbus-v1.0.0.send-incomplete")); // killed after the last rename
    assertThatThrownBy(() -> send(out))
        .isInstanceOfSatisfying(
            OpdeployException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
        .hasMessageContaining("already holds");

    Path foreign = Files.createDirectories(temp.resolve("foreign"));
    Files.writeString(foreign.resolve("op-dbus-v1.0.0.send.zst"), "someone's file");
    assertThatThrownBy(() -> send(foreign))
        .isInstanceOfSatisfying(
            OpdeployException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
        .hasMessage(
            "--out "
                + foreign
                + " already holds op-dbus-v1.0.0.send.zst from an earlier send: use an empty"
                + " directory or remove it first");
    assertThat(Files.readString(foreign.resolve("op-dbus-v1.0.0.send.zst")))
        .isEqualTo("someone's file");
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.delete(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
