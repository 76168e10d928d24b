package org.opdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.btrfs.BtrfsCli;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.version.Version;

/**
 * Releases signed with the trusted key whose streams are hostile (issue 10, items 2 and 5): a
 * crafted send stream must not write outside its subvolume, a stream must produce exactly the
 * subvolume its manifest names, and it must not be longer than the manifest declares. Each case
 * checks the exit code, the message, and that nothing else changed: no file outside the root, no
 * leftover subvolume, an empty journal, the earlier deployment intact.
 */
class HostileReleaseIT {
  private static final String V2 = "v2.0.0";
  private static final String SUBVOLUME = "@op-dbus-" + V2;

  /** Enough {@code ..} to climb from any test folder to the host's {@code /}. */
  private static final String UP = "../".repeat(40);

  @TempDir Path tempDir;
  private TargetFixture fx;
  private Path hostDir;
  private String hostName;

  @BeforeEach
  void setUp() throws Exception {
    fx = new TargetFixture(tempDir, 512);
    hostDir = Files.createDirectories(tempDir.resolve("host"));
    hostName = "opdeploy-hostile-" + UUID.randomUUID();
    fx.publish("v1.0.0", null);
    fx.agent().deploy(Version.parse("v1.0.0"), fx.source, false);
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      deleteTree(Path.of("/", hostName)); // only there if a case failed: the host must stay clean
    } finally {
      fx.close();
    }
  }

  @Test
  void symlinkToAHostFolderThenAFileThroughItWritesNothingOnTheHost() throws Exception {
    publish(
        new CraftedStream()
            .subvolume(SUBVOLUME, UUID.randomUUID())
            .symlink("link", hostDir.toString())
            .mkfile("link/x")
            .write("link/x", 0, "pwned\n".getBytes())
            .end());

    assertDeployFails(ExitCode.FAILED, "btrfs receive of v2.0.0 failed");

    assertThat(hostDir).isEmptyDirectory();
    assertNothingLeft();
  }

  @Test
  void dotDotPathsClimbingToTheHostRootStayInsideTheTargetAndAreRefused() throws Exception {
    publish(
        new CraftedStream()
            .subvolume(SUBVOLUME, UUID.randomUUID())
            .mkfile(UP + hostName)
            .write(UP + hostName, 0, "pwned\n".getBytes())
            .end());

    assertDeployFails(
        ExitCode.VERIFICATION_FAILED,
        "wrote outside its subvolume " + SUBVOLUME + " (created " + hostName + ")");

    assertThat(Path.of("/", hostName)).doesNotExist();
    assertNothingLeft();
  }

  @Test
  void symlinkIntoAFolderTheStreamMadeOutsideItsSubvolumeIsRefusedAndRemoved() throws Exception {
    publish(
        new CraftedStream()
            .subvolume(SUBVOLUME, UUID.randomUUID())
            .mkdir(UP + hostName)
            .symlink("link", "/" + hostName)
            .mkfile("link/x")
            .end());

    assertDeployFails(ExitCode.VERIFICATION_FAILED, "(created " + hostName + ")");

    assertThat(Path.of("/", hostName)).doesNotExist();
    assertNothingLeft();
  }

  @Test
  void markerWrittenIntoTheJournalCannotMakeTheNextRunDeleteADeployment() throws Exception {
    publish(
        new CraftedStream()
            .subvolume(SUBVOLUME, UUID.randomUUID())
            .mkfile("../.staging/@op-dbus-v1.0.0")
            .end());

    assertDeployFails(ExitCode.VERIFICATION_FAILED, "(created @op-dbus-v1.0.0)");

    assertNothingLeft();
    fx.publish("v3.0.0", "v1.0.0");
    fx.agent().deploy(Version.parse("v3.0.0"), fx.source, false);
    assertThat(fx.deployment("v1.0.0")).isDirectory();
  }

  @Test
  void streamNamingAnotherSubvolumeThanTheManifestIsRefusedAndDeleted() throws Exception {
    publish(new CraftedStream().subvolume("@op-dbus-v9.9.9", UUID.randomUUID()).mkfile("x").end());

    assertDeployFails(ExitCode.VERIFICATION_FAILED, "(created @op-dbus-v9.9.9)");

    assertNothingLeft();
  }

  @Test
  void streamCarryingASecondSubvolumeIsRefusedAndBothAreDeleted() throws Exception {
    UUID uuid = UUID.randomUUID();
    publish(
        new CraftedStream()
            .subvolume(SUBVOLUME, uuid)
            .mkfile("x")
            .subvolume("@op-dbus-extra", UUID.randomUUID())
            .mkfile("y")
            .end(),
        uuid);

    assertDeployFails(ExitCode.VERIFICATION_FAILED, "(created @op-dbus-extra)");

    assertNothingLeft();
  }

  @Test
  void streamWhoseSubvolumeUuidDiffersFromTheManifestIsRefused() throws Exception {
    byte[] stream =
        new CraftedStream().subvolume(SUBVOLUME, UUID.randomUUID()).mkfile("x").end().bytes();
    fx.releases.craftedRelease(V2, stream, UUID.randomUUID(), stream.length);

    assertDeployFails(ExitCode.VERIFICATION_FAILED, "has received uuid");

    assertNothingLeft();
  }

  @Test
  void decompressionBombIsStoppedAtTheDeclaredSizeAndDeleted() throws Exception {
    UUID uuid = UUID.randomUUID();
    byte[] stream =
        new CraftedStream()
            .subvolume(SUBVOLUME, uuid)
            .mkfile("bomb")
            .write("bomb", 0, new byte[48 << 20])
            .end()
            .bytes();
    fx.releases.craftedRelease(V2, stream, uuid, 1 << 20);
    Path stored = fx.releases.store().resolve(V2).resolve("op-dbus-" + V2 + ".send.zst");
    assertThat(Files.size(stored)).as("small on disk").isLessThan(64 << 10);

    assertDeployFails(
        ExitCode.VERIFICATION_FAILED,
        "the stream of v2.0.0 is longer than the 1048576 bytes its manifest declares");

    assertNothingLeft();
  }

  @Test
  void realStreamOneByteLongerThanDeclaredIsRefused() throws Exception {
    fx.publish(V2, null);
    redeclareStreamSizes(V2, -1);

    assertDeployFails(ExitCode.VERIFICATION_FAILED, "bytes its manifest declares");

    assertNothingLeft();
  }

  @Test
  void realStreamShorterThanDeclaredIsRefusedAfterReceive() throws Exception {
    fx.publish(V2, null);
    redeclareStreamSizes(V2, +1);

    assertDeployFails(ExitCode.VERIFICATION_FAILED, "not the");

    assertNothingLeft();
  }

  @Test
  void hostileUpgradeLeavesTheActiveVersionActive() throws Exception {
    fx.agent().activate(Version.parse("v1.0.0"));
    publish(
        new CraftedStream().subvolume(SUBVOLUME, UUID.randomUUID()).mkfile(UP + hostName).end());

    assertThatThrownBy(() -> fx.agent().upgrade(Version.parse(V2), fx.source, false))
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining("wrote outside its subvolume")
        .satisfies(
            e ->
                assertThat(((OpdeployException) e).exitCode())
                    .isEqualTo(ExitCode.VERIFICATION_FAILED));

    assertThat(Files.readSymbolicLink(fx.layout().current()).getFileName().toString())
        .isEqualTo("@op-dbus-v1.0.0");
    assertThat(fx.state().activeVersion()).contains(Version.parse("v1.0.0"));
    assertThat(Path.of("/", hostName)).doesNotExist();
    assertNothingLeft();
  }

  private void publish(CraftedStream crafted) throws Exception {
    byte[] stream = crafted.bytes();
    // The uuid the manifest names must be the stream's first subvolume, read back from its SUBVOL
    // command.
    fx.releases.craftedRelease(V2, stream, uuidOf(stream), stream.length);
  }

  private void publish(CraftedStream crafted, UUID uuid) throws Exception {
    byte[] stream = crafted.bytes();
    fx.releases.craftedRelease(V2, stream, uuid, stream.length);
  }

  /**
   * The uuid attribute of the first SUBVOL command: after the 17-byte header, 10-byte command
   * header, path.
   */
  private static UUID uuidOf(byte[] stream) {
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.wrap(stream).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int at = 17 + 10;
    int pathLength = b.getShort(at + 2);
    int uuidAt = at + 4 + pathLength + 4;
    java.nio.ByteBuffer raw =
        java.nio.ByteBuffer.wrap(stream, uuidAt, 16).order(java.nio.ByteOrder.BIG_ENDIAN);
    return new UUID(raw.getLong(), raw.getLong());
  }

  private void redeclareStreamSizes(String version, long delta) throws Exception {
    fx.releases.rewriteManifest(version, m -> ReleaseFactory.withStreamSizes(m, s -> true, delta));
  }

  private void assertDeployFails(ExitCode code, String message) {
    assertThatThrownBy(() -> fx.agent().deploy(Version.parse(V2), fx.source, false))
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((OpdeployException) e).exitCode()).isEqualTo(code))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  /**
   * deploy/ holds v1.0.0 (and v3 when a case deployed it), the journal is empty, no .partial
   * anywhere.
   */
  private void assertNothingLeft() throws Exception {
    try (Stream<Path> entries = Files.list(fx.layout().deployments())) {
      assertThat(
              entries
                  .map(p -> p.getFileName().toString())
                  .filter(n -> !n.equals("@op-dbus-v3.0.0")))
          .containsExactlyInAnyOrder(".staging", "@op-dbus-v1.0.0");
    }
    assertThat(fx.layout().staging()).isEmptyDirectory();
    assertThat(new BtrfsCli(new ProcessRunner()).show(fx.deployment("v1.0.0")).readOnly()).isTrue();
    try (Stream<Path> all = Files.walk(fx.layout().root())) {
      assertThat(
              all.filter(p -> !p.startsWith(fx.layout().deployments()))
                  .map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.endsWith(".partial") || n.equals(hostName));
    }
  }

  private static void deleteTree(Path root) throws Exception {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
