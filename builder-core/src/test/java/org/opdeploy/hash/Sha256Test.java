package org.opdeploy.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.VerificationException;
import org.opdeploy.progress.ProgressListener;

class Sha256Test {
  @TempDir Path dir;

  @Test
  void bytesAndTextHashAsSha256sumDoes() throws Exception {
    assertThat(Sha256.of("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    byte[] bytes = "xxabcxx".getBytes(StandardCharsets.UTF_8);
    assertThat(Sha256.of(bytes, 2, 3)).isEqualTo(Sha256.of("abc"));
    Files.write(dir.resolve("small"), bytes);
    assertThat(Sha256.ofFile(dir.resolve("small"))).isEqualTo(sha256sum(dir.resolve("small")));
  }

  @Test
  void aFileLargerThanOneBufferIsHashedThroughReadAheadToTheSameDigest() throws Exception {
    byte[] bytes = new byte[(3 << 20) + 12345];
    new Random(7).nextBytes(bytes);
    Path file = dir.resolve("large");
    Files.write(file, bytes);
    long[] heard = {0};
    assertThat(FileDigests.sha256(file, n -> heard[0] += n)).isEqualTo(sha256sum(file));
    assertThat(heard[0]).isEqualTo(bytes.length);
    assertThat(Sha256.of(bytes)).isEqualTo(sha256sum(file));
  }

  @Test
  void aGrowingFileIsDigestedAsItGrowsAndAgainWhenItShrinks() throws Exception {
    Path file = dir.resolve("growing");
    try (GrowingFileDigest digest = new GrowingFileDigest(file)) {
      assertThat(digest.catchUp()).isZero();
      Files.writeString(file, "ab");
      assertThat(digest.catchUp()).isEqualTo(2);
      Files.writeString(file, "abc");
      assertThat(digest.catchUp()).isEqualTo(3);
      assertThat(digest.hex()).isEqualTo(Sha256.of("abc"));
      Files.writeString(file, "x");
      assertThat(digest.catchUp()).isEqualTo(1);
      assertThat(digest.hex()).isEqualTo(Sha256.of("x"));
    }
  }

  @Test
  void digestsCompareWithoutRegardToCaseAndAMissingOneMatchesNothing() {
    String lower = Sha256.of("abc");
    assertThat(Sha256.same(lower, lower.toUpperCase())).isTrue();
    assertThat(Sha256.same(lower, Sha256.of("abd"))).isFalse();
    assertThat(Sha256.same(lower, null)).isFalse();
    assertThat(Sha256.same(null, null)).isFalse();
  }

  @Test
  void knownDigestsAreTakenAndOnlyTheOthersAreRead() throws Exception {
    Files.writeString(dir.resolve("a"), "a");
    Files.writeString(dir.resolve("b"), "b");
    Map<String, String> sums =
        FileDigests.complete(dir, List.of("a", "b"), Map.of("a", "known"), ProgressListener.NONE);
    assertThat(sums).containsOnly(Map.entry("a", "known"), Map.entry("b", Sha256.of("b")));
  }

  @Test
  void aMismatchIsAVerificationFailureNamingTheFile() {
    try {
      FileDigests.requireEqual(Map.of("f", "aa"), Map.of("f", "AA"), "SHA256SUMS");
    } catch (VerificationException e) {
      throw new AssertionError("case must not matter", e);
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> FileDigests.requireEqual(Map.of("f", "aa"), Map.of("f", "bb"), "SHA256SUMS"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("f does not match SHA256SUMS");
  }

  private static String sha256sum(Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sha256sum", file.toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    return out.substring(0, 64);
  }
}
