package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.audit.SpaceReserve;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.testing.TemporaryBtrfs;

/**
 * Issue 10, full disks on the build side, through the command line: the out folder of {@code send}
 * and the {@code dir:} store of {@code publish} filling up halfway, and the build pool full during
 * {@code golden refresh} and {@code snapshot}. Each case asserts the exit code, the one error line,
 * that nothing outside the expected change happened (no file under a final name, no staging folder,
 * the pool's subvolumes as they were, the audit entries), and that a rerun after freeing space
 * succeeds.
 */
class BuildFullDiskIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ENOSPC = "No space left on device";
  private static final long MIB = 1L << 20;
  private static final String GAVE_BACK_RESERVE = "is full: gave back the 8 MiB set aside in";

  @TempDir Path dir;
  private TwoHosts hosts;
  private final List<TemporaryBtrfs> filesystems = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    hosts = TwoHosts.create(dir, null);
    assertThat(hosts.run("-q", "golden", "refresh", "--runner", "chroot").exitCode()).isZero();
    // 24 MiB that zstd cannot shrink: the stream cannot fit in the 8 MiB left on the small disks
    // (a 128 MiB btrfs holds 47 MiB of data).
    writeRandom(hosts.pool().resolve("@op-dbus-golden/var/lib/blob"), 24 * MIB);
    assertThat(hosts.run("-q", "snapshot", "v1.0.0").exitCode()).isZero();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (TemporaryBtrfs fs : filesystems) {
      fs.close();
    }
    hosts.close();
  }

  @Test
  void aSendWhoseOutFolderFillsUpFailsWithOneLineAndLeavesNothing() throws Exception {
    TemporaryBtrfs small = smallDisk("out");
    Path filler = fillLeaving(small.root(), 8 * MIB);
    Path out = small.root().resolve("v1.0.0");
    Map<String, String> pool = poolState();

    CliRun failed = hosts.run("-q", "send", "v1.0.0", "--out", out.toString());

    assertThat(failed.exitCode()).as(failed.stderr()).isEqualTo(1);
    assertThat(oneLine(failed)).contains(out.toString()).contains(ENOSPC);
    assertThat(filesUnder(out)).as("no file left, under a final or a temporary name").isEmpty();
    assertThat(poolState()).isEqualTo(pool);
    assertThat(lastAuditEntry().get("result").asText()).isEqualTo("failed");
    assertThat(lastAuditEntry().at("/details/error").asText()).contains(ENOSPC);

    free(filler);
    CliRun rerun = hosts.run("-q", "send", "v1.0.0", "--out", out.toString());

    assertThat(rerun.exitCode()).as(rerun.stderr()).isZero();
    assertThat(filesUnder(out))
        .containsExactlyInAnyOrder(
            "SHA256SUMS",
            "SHA256SUMS.asc",
            "op-dbus-v1.0.0.manifest.json",
            "op-dbus-v1.0.0.send.zst",
            "op-dbus-v1.0.0.send.zst.sha256");
    assertThat(sha256sumCheck(out)).isZero();
    assertThat(hosts.run("-q", "verify", out.toString()).exitCode()).isZero();
  }

  @Test
  void aPublishToAFullStoreFailsWithOneLineAndPublishesNothing() throws Exception {
    Path release = dir.resolve("release");
    assertThat(hosts.run("-q", "send", "v1.0.0", "--out", release.toString()).exitCode()).isZero();
    Map<String, String> sent = digests(release);
    TemporaryBtrfs small = smallDisk("store");
    Path filler = fillLeaving(small.root(), 8 * MIB);
    Path store = small.root().resolve("releases");
    String[] publish = {
      "-q",
      "publish",
      "v1.0.0",
      "--dir",
      release.toString(),
      "--to",
      "dir:" + store,
      "--installer",
      "none"
    };

    CliRun failed = hosts.run(publish);

    assertThat(failed.exitCode()).as(failed.stderr()).isEqualTo(1);
    assertThat(oneLine(failed))
        .contains("dir:" + store)
        .contains(ENOSPC)
        .contains("nothing was published");
    assertThat(filesUnder(store)).as("no release, no .staging-v1.0.0-* folder").isEmpty();
    assertThat(digests(release)).as("the release folder is untouched").isEqualTo(sent);

    free(filler);
    CliRun rerun = hosts.run(publish);

    assertThat(rerun.exitCode()).as(rerun.stderr()).isZero();
    try (Stream<Path> entries = Files.list(store)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("v1.0.0", "v1.0.0.notes.md", "VERSIONS");
    }
    assertThat(digests(store.resolve("v1.0.0"))).isEqualTo(sent);
    assertThat(hosts.run("-q", "verify", store.resolve("v1.0.0").toString()).exitCode()).isZero();
  }

  @Test
  void aRefreshOnAFullPoolFailsWithOneLineAndRecordsItsEnd() throws Exception {
    Path added = dir.resolve("golden/rootfs/var/lib/more");
    writeRandom(added, 32 * MIB);
    Map<String, String> before = poolState();
    Path filler = fillLeaving(hosts.build.root(), 0);

    CliRun failed = hosts.run("-q", "golden", "refresh", "--runner", "chroot");

    assertThat(failed.exitCode()).as(failed.stderr()).isEqualTo(1);
    assertThat(oneLine(failed))
        .contains(hosts.pool().resolve("@op-dbus-golden").toString())
        .contains(ENOSPC);
    Path golden = hosts.pool().resolve("@op-dbus-golden");
    assertThat(golden.resolve("var/lib/more")).as("nothing half-written").doesNotExist();
    try (Stream<Path> files = Files.walk(golden)) {
      assertThat(files.filter(p -> p.getFileName().toString().startsWith(".opdeploy-")))
          .as("no temporary file left in the golden")
          .isEmpty();
    }
    assertThat(poolState()).as("golden and snapshots as they were").isEqualTo(before);
    List<JsonNode> audit = auditEntries();
    assertThat(audit.get(audit.size() - 2).get("result").asText()).isEqualTo("started");
    JsonNode end = audit.get(audit.size() - 1);
    assertThat(end.get("command").asText()).isEqualTo("golden refresh");
    assertThat(end.get("result").asText()).isEqualTo("failed");
    assertThat(end.at("/details/error").asText()).contains(ENOSPC);

    free(filler);
    CliRun rerun = hosts.run("-q", "golden", "refresh", "--runner", "chroot");

    assertThat(rerun.exitCode()).as(rerun.stderr()).isZero();
    assertThat(digest(golden.resolve("var/lib/more"))).isEqualTo(digest(added));
    assertThat(lastAuditEntry().get("result").asText()).isEqualTo("ok");
    assertThat(hosts.run("-q", "audit", "verify", "--build").exitCode()).isZero();
  }

  @Test
  void aStepThatFillsAFullPoolAgainFailsTheRefreshAndItsEndIsStillRecorded() throws Exception {
    Path step = dir.resolve("golden/steps/10-build-info.sh");
    String original = Files.readString(step);
    // The space the run gets back from the pool's reserve is taken again by a step, and kept.
    Files.writeString(step, original + "head -c 67108864 /dev/urandom > /var/lib/fill\n");
    Map<String, String> before = poolState();
    Path filler = fillLeaving(hosts.build.root(), 0);

    CliRun failed = hosts.run("-q", "golden", "refresh", "--runner", "chroot");

    assertThat(failed.exitCode()).as(failed.stderr()).isEqualTo(1);
    // As for any failed step: one line naming it, then the step's last output lines ("  | …").
    List<String> lines =
        failed.stderr().strip().lines().filter(l -> !l.contains(GAVE_BACK_RESERVE)).toList();
    assertThat(lines.get(0))
        .startsWith("opdeploy: error: golden step steps/10-build-info.sh failed with exit code");
    assertThat(lines.subList(1, lines.size())).allMatch(l -> l.startsWith("  | "));
    assertThat(hosts.pool().resolve("@op-dbus-golden/var/lib/fill"))
        .as("the step kept what it wrote")
        .isRegularFile();
    assertThat(poolState()).as("golden and snapshots as they were").isEqualTo(before);
    JsonNode end = lastAuditEntry();
    assertThat(end.get("command").asText()).isEqualTo("golden refresh");
    assertThat(end.get("result").asText()).isEqualTo("failed");
    assertThat(hosts.pool().resolve(".opdeploy/reserve.end")).doesNotExist();

    free(filler);
    Files.writeString(step, original);
    Files.delete(hosts.pool().resolve("@op-dbus-golden/var/lib/fill"));
    CliRun rerun = hosts.run("-q", "golden", "refresh", "--runner", "chroot");

    assertThat(rerun.exitCode()).as(rerun.stderr()).isZero();
    assertThat(lastAuditEntry().get("result").asText()).isEqualTo("ok");
    assertThat(hosts.run("-q", "audit", "verify", "--build").exitCode()).isZero();
  }

  @Test
  void aSnapshotOnAFullPoolIsMadeAndRecordedOrNotMadeAtAll() throws Exception {
    Map<String, String> before = poolState();
    Path filler = fillLeaving(hosts.build.root(), 0);

    CliRun run = hosts.run("-q", "snapshot", "v1.1.0");

    // A snapshot needs only metadata, which btrfs still has when the data space is full: it is
    // made, and its run must say so (before the pool had a reserve: exit 1, "cannot write audit
    // log …", with the snapshot made, and every rerun refused with "already exists").
    Path snapshot = hosts.pool().resolve("@op-dbus-v1.1.0");
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stderr().strip()).contains(GAVE_BACK_RESERVE).doesNotContain("\n");
    assertThat(run.stdout().strip()).startsWith("snapshot " + snapshot);
    Map<String, String> after = poolState();
    assertThat(after).containsAllEntriesOf(before).hasSize(before.size() + 1);
    assertThat(after.get("@op-dbus-v1.1.0")).endsWith("ro=true");
    List<JsonNode> audit = auditEntries();
    assertThat(audit.subList(audit.size() - 2, audit.size()))
        .extracting(e -> e.get("command").asText() + " " + e.get("result").asText())
        .containsExactly("snapshot started", "snapshot ok");
    assertThat(hosts.run("-q", "audit", "verify", "--build").exitCode()).isZero();

    free(filler);
    CliRun next = hosts.run("-q", "snapshot", "v1.2.0");
    assertThat(next.exitCode()).as(next.stderr()).isZero();
    assertThat(hosts.pool().resolve(".opdeploy/reserve"))
        .as("the reserve is set aside again once there is room")
        .isRegularFile();
  }

  private TemporaryBtrfs smallDisk(String name) throws Exception {
    TemporaryBtrfs fs = TemporaryBtrfs.create(dir, name, 128);
    filesystems.add(fs);
    return fs;
  }

  /**
   * Fills the filesystem of {@code root} until only {@code keep} bytes (or nothing) are free, with
   * random bytes: the test filesystems are mounted {@code compress=zstd:1}, which would store zeros
   * in next to no data space.
   */
  private static Path fillLeaving(Path root, long keep) throws Exception {
    Path filler = root.resolve("filler");
    byte[] chunk = new byte[(int) MIB];
    new SplittableRandom(keep).nextBytes(chunk);
    try (OutputStream out = Files.newOutputStream(filler)) {
      long left = SpaceReserve.freeBytes(root) - keep;
      while (keep == 0 || left > 0) {
        out.write(chunk);
        left -= chunk.length;
      }
    } catch (IOException e) {
      if (keep > 0 || !e.getMessage().contains(ENOSPC)) {
        throw e;
      }
    }
    new ProcessRunner().run("sync");
    return filler;
  }

  /** Deletes the filler and commits, so that its space is free for the next run. */
  private static void free(Path filler) throws Exception {
    Files.delete(filler);
    new ProcessRunner().run("sync", "-f", filler.getParent().toString());
  }

  private static void writeRandom(Path file, long bytes) throws IOException {
    Files.createDirectories(file.getParent());
    SplittableRandom random = new SplittableRandom(bytes);
    byte[] chunk = new byte[(int) MIB];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < bytes; written += chunk.length) {
        random.nextBytes(chunk);
        out.write(chunk);
      }
    }
  }

  /**
   * The one error line of a failed run. The only other line allowed is the warning that the pool's
   * reserve was given back (a run starting on a full pool says so).
   */
  private static String oneLine(CliRun run) {
    assertThat(run.stdout()).isEmpty();
    List<String> lines =
        run.stderr().strip().lines().filter(l -> !l.contains(GAVE_BACK_RESERVE)).toList();
    assertThat(lines).as(run.stderr()).hasSize(1);
    assertThat(lines.get(0)).startsWith("opdeploy: error: ");
    return lines.get(0);
  }

  /** Every subvolume of the pool with its uuid and read-only flag. */
  private Map<String, String> poolState() throws Exception {
    Map<String, String> state = new TreeMap<>();
    try (Stream<Path> entries = Files.list(hosts.pool())) {
      for (Path p : entries.filter(p -> p.getFileName().toString().startsWith("@")).toList()) {
        String show = new ProcessRunner().run("btrfs", "subvolume", "show", p.toString()).stdout();
        String uuid = show.lines().filter(l -> l.strip().startsWith("UUID:")).findFirst().get();
        String ro =
            new ProcessRunner()
                .run("btrfs", "property", "get", "-ts", p.toString(), "ro")
                .stdout()
                .strip();
        state.put(p.getFileName().toString(), uuid.strip() + " " + ro);
      }
    }
    return state;
  }

  private List<JsonNode> auditEntries() throws IOException {
    List<JsonNode> entries = new ArrayList<>();
    for (String line : Files.readAllLines(hosts.pool().resolve(".opdeploy/audit.log"))) {
      entries.add(JSON.readTree(line));
    }
    return entries;
  }

  private JsonNode lastAuditEntry() throws IOException {
    List<JsonNode> entries = auditEntries();
    return entries.get(entries.size() - 1);
  }

  private static List<String> filesUnder(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(folder)) {
      return files
          .filter(p -> !p.equals(folder))
          .map(p -> folder.relativize(p).toString())
          .toList();
    }
  }

  private static Map<String, String> digests(Path folder) throws Exception {
    Map<String, String> digests = new TreeMap<>();
    for (String name : filesUnder(folder)) {
      digests.put(name, digest(folder.resolve(name)));
    }
    return digests;
  }

  private static String digest(Path file) throws Exception {
    return new ProcessRunner().run("sha256sum", file.toString()).stdout().split(" ")[0];
  }

  private static int sha256sumCheck(Path folder) throws Exception {
    return new ProcessBuilder("sha256sum", "-c", "--quiet", "SHA256SUMS")
        .directory(folder.toFile())
        .inheritIO()
        .start()
        .waitFor();
  }
}
