package org.opdeploy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.VerificationException;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.seal.ReleaseSigner;
import org.opdeploy.seal.ReleaseVerifier;
import org.opdeploy.seal.SealReleaseStep;
import org.opdeploy.seal.ThrowawayKey;
import org.opdeploy.testing.HostRequirements;
import org.opdeploy.testing.SampleRelease;
import org.opdeploy.testing.TemporaryBtrfs;
import org.opdeploy.version.Version;

/**
 * A {@code dir:} store on the release folder's btrfs filesystem reflinks the streams (shared
 * extents, seen by {@code filefrag}), and on another filesystem, or one without reflinks (the
 * test's temporary folder, not btrfs), copies them; on both paths it refuses bytes that do not
 * match SHA256SUMS.
 */
class DirectoryStoreReflinkIT {
  private static final int PART = 2 << 20;
  private static ThrowawayKey key;
  private static ReleaseSigner signer;

  @TempDir Path tmp;
  private TemporaryBtrfs pool;
  private final List<Boolean> clones = new ArrayList<>();
  private final ProcessRunner runner = new ProcessRunner();

  @BeforeAll
  static void key() throws Exception {
    key = ThrowawayKey.generate("Release <release@example.org>");
    signer =
        ReleaseSigner.fromEnvironment(Map.of("OPDEPLOY_SIGNING_KEY", key.armoredSecretKey()), null);
  }

  @BeforeEach
  void pool() throws Exception {
    HostRequirements.requireProgram("filefrag", "e2fsprogs");
    pool = TemporaryBtrfs.create(tmp, "pool", 256);
  }

  @AfterEach
  void closePool() {
    pool.close();
  }

  /** The real clone, recording whether each attempt succeeded. */
  private DirectoryStore store(Path root) {
    FileClone real = new CpFileClone(runner);
    return new DirectoryStore(
        root,
        (source, target) -> {
          boolean done = real.cloneFile(source, target);
          clones.add(done);
          return done;
        });
  }

  private Path sealedOnPool() throws Exception {
    return sealedIn(pool.root());
  }

  private static Path sealedIn(Path parent) throws Exception {
    Path dir = SampleRelease.write(parent.resolve("releases/v1.0.0"), "op-dbus", "v1.0.0", 3, PART);
    new SealReleaseStep(dir, signer).run();
    return dir;
  }

  private static PublishRequest request(Path dir) throws Exception {
    return new PublishRequest(Version.parse("v1.0.0"), dir, "v1.0.0", "", false, false);
  }

  private static String part(int n) {
    return "op-dbus-v1.0.0.send.zst.part00" + n;
  }

  @Test
  void aStoreOnThePoolsFilesystemReflinksTheStreamsInsteadOfCopyingThem() throws Exception {
    Path source = sealedOnPool();
    Path root = pool.root().resolve("store");
    store(root).publish(request(source), ProgressListener.NONE);

    assertThat(clones).as("one clone per stream part, each made").containsExactly(true, true, true);
    for (int n = 0; n < 3; n++) {
      List<String> published = extents(root.resolve("v1.0.0").resolve(part(n)));
      assertThat(published)
          .as("extents of %s", part(n))
          .isNotEmpty()
          .allMatch(e -> e.contains("shared"));
      assertThat(published)
          .as("the store's %s lies on the source's blocks", part(n))
          .isEqualTo(extents(source.resolve(part(n))));
    }
    assertThat(new ReleaseVerifier(key.trustedKeys()).verify(root.resolve("v1.0.0"), true).signed())
        .isTrue();
  }

  @Test
  void aChangeToTheSourceAfterPublishingLeavesTheStoresCopyAsPublished() throws Exception {
    Path source = sealedOnPool();
    Path root = pool.root().resolve("store");
    store(root).publish(request(source), ProgressListener.NONE);

    Path changed = source.resolve(part(2));
    try (RandomAccessFile file = new RandomAccessFile(changed.toFile(), "rw")) {
      file.seek(PART / 2);
      file.write(new byte[8192]);
      file.getFD().sync();
    }
    Path published = root.resolve("v1.0.0").resolve(part(2));
    assertThat(Files.mismatch(changed, published)).isEqualTo(PART / 2);
    assertThat(runner.run("sha256sum", published.toString()).stdout())
        .as("sha256sum of the store's copy, the digest SHA256SUMS holds")
        .startsWith(Files.readString(source.resolve(part(2) + ".sha256")).strip().split("\\s+")[0]);
    new ReleaseVerifier(key.trustedKeys()).verify(root.resolve("v1.0.0"), true);
  }

  @Test
  void aStoreOnAnotherFilesystemCopiesWhenTheCloneIsRefused() throws Exception {
    Path source = sealedOnPool();
    Path root = tmp.resolve("store");
    store(root).publish(request(source), ProgressListener.NONE);

    assertThat(clones).as("asked once, refused, then not asked again").containsExactly(false);
    for (int n = 0; n < 3; n++) {
      assertThat(Files.mismatch(source.resolve(part(n)), root.resolve("v1.0.0").resolve(part(n))))
          .isEqualTo(-1);
      assertThat(extents(root.resolve("v1.0.0").resolve(part(n))))
          .noneMatch(e -> e.contains("shared"));
    }
    new ReleaseVerifier(key.trustedKeys()).verify(root.resolve("v1.0.0"), true);
  }

  @Test
  void aFilesystemWithoutReflinksRefusesTheCloneAndTheStoreCopies() throws Exception {
    Path source = sealedIn(tmp); // the test's temporary folder: ext4 or tmpfs, never btrfs
    assertThat(Files.getFileStore(source).type()).isNotEqualTo("btrfs");
    Path root = tmp.resolve("store");
    store(root).publish(request(source), ProgressListener.NONE);

    assertThat(clones).as("cp --reflink=always refused once").containsExactly(false);
    for (int n = 0; n < 3; n++) {
      assertThat(Files.mismatch(source.resolve(part(n)), root.resolve("v1.0.0").resolve(part(n))))
          .isEqualTo(-1);
    }
    new ReleaseVerifier(key.trustedKeys()).verify(root.resolve("v1.0.0"), true);
  }

  @Test
  void aTamperedSourceFileIsRefusedOnTheReflinkPath() throws Exception {
    assertTamperedSourceIsRefused(pool.root().resolve("store"));
    assertThat(clones).as("the tampered part was cloned, then refused").contains(true);
  }

  @Test
  void aTamperedSourceFileIsRefusedOnTheCopyPath() throws Exception {
    assertTamperedSourceIsRefused(tmp.resolve("store"));
    assertThat(clones).containsExactly(false);
  }

  private void assertTamperedSourceIsRefused(Path root) throws Exception {
    Path source = sealedOnPool();
    try (RandomAccessFile file = new RandomAccessFile(source.resolve(part(2)).toFile(), "rw")) {
      file.seek(12345);
      int b = file.read();
      file.seek(12345);
      file.write(b ^ 1);
    }
    assertThatThrownBy(() -> store(root).publish(request(source), ProgressListener.NONE))
        .isInstanceOfSatisfying(
            VerificationException.class,
            e -> assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFICATION_FAILED))
        .hasMessageContaining(part(2));
    assertThat(root.resolve("v1.0.0")).doesNotExist();
    try (var entries = Files.list(root)) {
      assertThat(entries).as("no staging folder left behind").isEmpty();
    }
  }

  /** {@code filefrag -v}: each extent's physical start, length and flags, in file order. */
  private List<String> extents(Path file) throws Exception {
    List<String> extents = new ArrayList<>();
    for (String line : runner.run("filefrag", "-s", "-v", file.toString()).stdout().split("\n")) {
      String[] fields = line.strip().split(":\\s*", -1);
      if (fields.length >= 5 && fields[0].matches("\\d+")) {
        extents.add(
            fields[2].split("\\.\\.")[0].strip()
                + " "
                + fields[3].strip()
                + " "
                + fields[fields.length - 1].strip());
      }
    }
    return extents;
  }
}
