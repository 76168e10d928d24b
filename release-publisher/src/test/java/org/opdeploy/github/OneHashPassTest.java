package org.opdeploy.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opdeploy.github.GitHubTestKit.REPO;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.VerificationException;
import org.opdeploy.github.fake.FakeGitHub;
import org.opdeploy.github.fake.RecordingSleeper;
import org.opdeploy.release.SealAndPublish;
import org.opdeploy.seal.ReleaseSigner;
import org.opdeploy.seal.ThrowawayKey;
import org.opdeploy.secret.Secret;
import org.opdeploy.store.PublishResult;
import org.opdeploy.testing.SampleRelease;

/**
 * One hash pass on the build side: with the digests {@code send} took while writing, seal and
 * publish read no file to hash it (every SHA-256 pass reports progress under "sha256"), and the
 * bytes GitHub received are proven by GitHub's own asset digest before the draft is published.
 */
class OneHashPassTest {
  @TempDir Path temp;
  FakeGitHub fake;
  ReleaseSigner signer;
  final GitHubTestKit.Listener listener = new GitHubTestKit.Listener();

  @BeforeEach
  void start() throws Exception {
    fake = FakeGitHub.start();
    signer =
        ReleaseSigner.of(
            Secret.of(ThrowawayKey.generate("t <t@example.invalid>").armoredSecretKey()),
            null,
            null);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  /**
   * What send knows after writing the folder: the SHA-256 of every file, taken as it was written.
   */
  private static Map<String, String> digestsAsWritten(Path dir) throws Exception {
    Map<String, String> digests = new HashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        digests.put(file.getFileName().toString(), SampleRelease.sha256(Files.readAllBytes(file)));
      }
    }
    return digests;
  }

  private PublishResult sealAndPublish(Path dir, Map<String, String> digests) throws Exception {
    SealAndPublish publish =
        new SealAndPublish(
            GitHubTestKit.store(fake, fake.token(), new RecordingSleeper()),
            signer,
            null,
            true,
            listener);
    return (digests == null ? publish : publish.withKnownDigests(digests))
        .run(GitHubTestKit.request(dir, false));
  }

  private long bytesHashed() {
    return listener.events.stream()
        .filter(e -> e.task().equals("sha256") && e.finished())
        .mapToLong(e -> e.done())
        .sum();
  }

  @Test
  void withTheDigestsOfSendNothingIsReadToBeHashedAndTheReleaseIsPublished() throws Exception {
    Path dir = SampleRelease.write(temp.resolve("rel"), "op-dbus", "v1.0.0", 3, 200_000);

    PublishResult result = sealAndPublish(dir, digestsAsWritten(dir));

    assertThat(result.draft()).isFalse();
    assertThat(bytesHashed()).as("no file read again to hash it").isZero();
    assertThat(fake.releases(REPO).get(0).draft()).isFalse();
  }

  @Test
  void withoutThemSealAndVerifyEachReadEveryFile() throws Exception {
    Path dir = SampleRelease.write(temp.resolve("rel"), "op-dbus", "v1.0.0", 3, 200_000);

    sealAndPublish(dir, null);

    assertThat(bytesHashed())
        .as("seal and the verification before publishing: two passes")
        .isGreaterThanOrEqualTo(2L * 3 * 200_000);
  }

  @Test
  void aFileCorruptedAfterSendIsCaughtByGitHubsDigestAndTheDraftStaysPrivate() throws Exception {
    Path dir = SampleRelease.write(temp.resolve("rel"), "op-dbus", "v1.0.0", 3, 200_000);
    Map<String, String> digests = digestsAsWritten(dir);
    try (RandomAccessFile part =
        new RandomAccessFile(dir.resolve("op-dbus-v1.0.0.send.zst.part001").toFile(), "rw")) {
      part.seek(1000);
      int b = part.read();
      part.seek(1000);
      part.write(b ^ 1);
    }

    assertThatThrownBy(() -> sealAndPublish(dir, digests))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("op-dbus-v1.0.0.send.zst.part001");

    assertThat(fake.releases(REPO)).singleElement().satisfies(r -> assertThat(r.draft()).isTrue());
  }
}
