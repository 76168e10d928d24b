package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, one pass on the build side: after {@code btrfs send} produced a stream, a {@code
 * release} run reads each stream file it wrote at most once — the {@code dir:} store's copy, which
 * hashes as it copies; seal signs from send's digests and publish does not verify the folder again
 * — and the store's copy is not read back: each byte of a stream is read once after the send.
 * Counted by the kernel (inotify), so any way of reading a file counts. (The small index files,
 * SHA256SUMS, the manifest and the chunk index, are parsed by several steps and not counted here.)
 */
class ReleaseReadsOnceIT {
  @TempDir Path dir;
  private TwoHosts hosts;

  @BeforeEach
  void setUp() throws Exception {
    hosts = TwoHosts.create(dir, null);
  }

  @AfterEach
  void tearDown() throws Exception {
    hosts.close();
  }

  @Test
  void aReleaseReadsEachFileItProducedAtMostOnceAfterWritingIt() throws Exception {
    Path store = dir.resolve("store");
    String to = "dir:" + store;
    CliRun first = hosts.run("release", "v1.0.0", "--to", to, "--runner", "chroot");
    assertThat(first.exitCode()).as(first.stderr()).isZero();
    Path releases = hosts.pool().resolve(".opdeploy").resolve("releases");
    Map<Path, FileOpenWatch.FileHistory> seen;

    try (FileOpenWatch watch = FileOpenWatch.start(dir, List.of(releases, store))) {
      CliRun run = hosts.run("release", "v1.1.0", "--to", to, "--runner", "chroot");
      assertThat(run.exitCode()).as(run.stderr()).isZero();
      seen = watch.histories();
    }

    List<Path> streams = new ArrayList<>();
    for (Path folder : List.of(releases.resolve("v1.1.0"), store.resolve("v1.1.0"))) {
      try (Stream<Path> files = Files.list(store.resolve("v1.1.0"))) {
        files
            .map(p -> p.getFileName().toString())
            .filter(name -> name.contains(".send.zst") && !name.endsWith(".sha256"))
            .forEach(name -> streams.add(folder.resolve(name)));
      }
    }
    assertThat(streams).as("a full and an incremental stream, in both folders").hasSize(4);
    for (Path published : streams.subList(2, 4)) {
      Path written = releases.resolve("v1.1.0").resolve(published.getFileName());
      assertThat(
              seen.get(written).readsAfterLastWrite() + seen.get(published).readsAfterLastWrite())
          .as(
              "reads of %s in the release folder (%s) and of its copy in the store (%s): the copy is"
                  + " hashed as it is written, not read back",
              published.getFileName(), seen.get(written).closes(), seen.get(published).closes())
          .isLessThanOrEqualTo(1);
    }
    for (Path stream : streams) {
      assertThat(seen.get(stream))
          .as("what the release did to %s (W: written, R: read)", stream)
          .isNotNull()
          .satisfies(
              h -> {
                assertThat(h.written()).as(h.closes()).isTrue();
                assertThat(h.readsAfterLastWrite()).as(h.closes()).isLessThanOrEqualTo(1);
              });
    }
  }
}
