package org.opdeploy.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.hash.Sha256;
import org.opdeploy.manifest.Compression;

class StreamEncoderTest {
  @TempDir Path dir;

  @Test
  void uncompressedStreamIsSplitAtTheLimitAndEachPartHashed() throws IOException {
    byte[] data = randomBytes(10_500);
    EncodedStream stream = encode(Compression.NONE, 4_000, data);

    assertThat(stream.streamSize()).isEqualTo(10_500);
    assertThat(stream.parts()).extracting(StagedFile::size).containsExactly(4_000L, 4_000L, 2_500L);
    for (int i = 0; i < 3; i++) {
      StagedFile part = stream.parts().get(i);
      byte[] onDisk = Files.readAllBytes(part.temporary());
      assertThat(onDisk).isEqualTo(slice(data, i * 4_000, onDisk.length));
      assertThat(part.sha256()).isEqualTo(sha256(onDisk));
    }
    assertThat(stream.fileName(0)).isEqualTo("s.send.part000");
    assertThat(stream.fileName(2)).isEqualTo("s.send.part002");
  }

  @Test
  void everyChunkOfEveryPartIsHashedFromThePartsStart() throws IOException {
    byte[] data = randomBytes(25_000);
    SplittingOutputStream split = new SplittingOutputStream(dir, ".c.send", 10_000, 3_000);
    // Odd slices, so that writes cross chunk and part boundaries.
    for (int at = 0; at < data.length; at += 777) {
      split.write(data, at, Math.min(777, data.length - at));
    }
    split.close();

    List<StagedFile> parts = split.parts();
    assertThat(parts).extracting(StagedFile::size).containsExactly(10_000L, 10_000L, 5_000L);
    for (StagedFile part : parts) {
      byte[] onDisk = Files.readAllBytes(part.temporary());
      List<String> expected = new ArrayList<>();
      for (int at = 0; at < onDisk.length; at += 3_000) {
        expected.add(sha256(slice(onDisk, at, Math.min(3_000, onDisk.length - at))));
      }
      assertThat(part.chunkSize()).isEqualTo(3_000);
      assertThat(part.chunks()).containsExactlyElementsOf(expected);
    }
    assertThat(parts.get(2).chunks()).hasSize(2);
  }

  @Test
  void theEncoderIndexesChunksOfTheSizeTheManifestRecords() throws IOException {
    byte[] data = randomBytes((int) org.opdeploy.manifest.ChunkIndex.CHUNK_BYTES * 2 + 5);
    EncodedStream stream = encode(Compression.NONE, Long.MAX_VALUE, data);

    StagedFile part = stream.parts().get(0);
    int chunk = (int) org.opdeploy.manifest.ChunkIndex.CHUNK_BYTES;
    assertThat(part.chunkSize()).isEqualTo(chunk);
    assertThat(part.chunks())
        .containsExactly(
            sha256(slice(data, 0, chunk)),
            sha256(slice(data, chunk, chunk)),
            sha256(slice(data, 2 * chunk, 5)));
  }

  @Test
  void streamOfExactlyTheLimitStaysOneFileWithTheStreamName() throws IOException {
    EncodedStream stream = encode(Compression.NONE, 4_096, randomBytes(4_096));

    assertThat(stream.parts()).hasSize(1);
    assertThat(stream.fileName(0)).isEqualTo("s.send");
  }

  @Test
  void oneByteOverTheLimitOpensASecondPart() throws IOException {
    EncodedStream stream = encode(Compression.NONE, 4_096, randomBytes(4_097));

    assertThat(stream.parts()).extracting(StagedFile::size).containsExactly(4_096L, 1L);
  }

  @Test
  void emptyStreamStillYieldsOneEmptyFile() throws IOException {
    EncodedStream stream = encode(Compression.NONE, 100, new byte[0]);

    assertThat(stream.parts()).hasSize(1);
    assertThat(stream.parts().get(0).size()).isZero();
    assertThat(stream.parts().get(0).sha256()).isEqualTo(sha256(new byte[0]));
  }

  @Test
  void zstdPartsConcatenatedDecompressToTheOriginalStream() throws IOException {
    byte[] data = compressibleBytes(3_000_000);
    EncodedStream stream = encode(Compression.zstd(3), 50_000, data);

    assertThat(stream.streamSize()).isEqualTo(data.length);
    assertThat(stream.parts().size()).isGreaterThan(1);
    assertThat(stream.storedSize()).isLessThan(data.length);
    for (StagedFile part : stream.parts()) {
      assertThat(part.sha256()).isEqualTo(sha256(Files.readAllBytes(part.temporary())));
    }
    assertThat(decompress(stream.parts())).isEqualTo(data);
  }

  @Test
  void multithreadedZstdGivesTheSameStream() throws IOException {
    byte[] data = compressibleBytes(12_000_000);
    EncodedStream stream =
        new StreamEncoder(Compression.zstd(1), 4, Long.MAX_VALUE)
            .encode(new ByteArrayInputStream(data), dir, "mt.send.zst", done -> {});

    assertThat(decompress(stream.parts())).isEqualTo(data);
  }

  @Test
  void progressIsReportedInUncompressedBytes() throws IOException {
    List<Long> reported = Collections.synchronizedList(new ArrayList<>());
    byte[] data = compressibleBytes((int) (CountingOutputStream.REPORT_EVERY * 2 + 10));
    new StreamEncoder(Compression.zstd(1), 1, Long.MAX_VALUE)
        .encode(new ByteArrayInputStream(data), dir, "p.send.zst", reported::add);

    assertThat(reported).hasSize(2).allMatch(n -> n >= CountingOutputStream.REPORT_EVERY);
  }

  @Test
  void failedReadLeavesNoFilesBehind() throws IOException {
    InputStream failing =
        new SequenceInputStream(
            new ByteArrayInputStream(randomBytes(9_000)),
            new InputStream() {
              @Override
              public int read() throws IOException {
                throw new IOException("pipe broke");
              }
            });
    StreamEncoder encoder = new StreamEncoder(Compression.NONE, 1, 4_000);

    assertThatThrownBy(() -> encoder.encode(failing, dir, "f.send", done -> {}))
        .hasMessage("pipe broke");
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void failedWriteReachesTheCallerAsAWriteFailureAndLeavesNoFilesBehind() throws IOException {
    Path gone = dir.resolve("gone");
    StreamEncoder encoder = new StreamEncoder(Compression.zstd(1), 2, Long.MAX_VALUE);

    assertThatThrownBy(
            () ->
                encoder.encode(
                    new ByteArrayInputStream(compressibleBytes(3_000_000)),
                    gone,
                    "w.send.zst",
                    done -> {}))
        .isInstanceOf(StreamWriteException.class)
        .hasMessageContaining(gone.toString());
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void streamLongerThanTheSyncIntervalIsWrittenWhole() throws IOException {
    int size =
        (int) (SplittingOutputStream.SYNC_EVERY_BYTES + SplittingOutputStream.SYNC_EVERY_BYTES / 2);
    byte[] data = randomBytes(size);
    EncodedStream stream = encode(Compression.NONE, Long.MAX_VALUE, data);

    assertThat(stream.parts())
        .singleElement()
        .satisfies(
            part -> {
              assertThat(part.size()).isEqualTo(size);
              assertThat(part.sha256()).isEqualTo(sha256(data));
              assertThat(Files.readAllBytes(part.temporary())).isEqualTo(data);
            });
  }

  @Test
  void temporaryNamesAreHiddenAndNeverAnAssetName() throws IOException {
    EncodedStream stream = encode(Compression.NONE, 10, randomBytes(25));

    assertThat(stream.parts())
        .extracting(p -> p.temporary().getFileName().toString())
        .containsExactly(".s.send.000.tmp", ".s.send.001.tmp", ".s.send.002.tmp");
  }

  private EncodedStream encode(Compression compression, long maxPart, byte[] data)
      throws IOException {
    String name = "s.send" + compression.suffix();
    return new StreamEncoder(compression, 1, maxPart)
        .encode(new ByteArrayInputStream(data), dir, name, done -> {});
  }

  private static byte[] decompress(List<StagedFile> parts) throws IOException {
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (StagedFile part : parts) {
      joined.write(Files.readAllBytes(part.temporary()));
    }
    try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(joined.toByteArray()))) {
      return in.readAllBytes();
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new Random(n).nextBytes(bytes);
    return bytes;
  }

  /** Text-like data: compresses well, yet is not one repeated byte. */
  private static byte[] compressibleBytes(int n) {
    Random random = new Random(7);
    byte[] bytes = new byte[n];
    for (int i = 0; i < n; i++) {
      bytes[i] = (byte) ('a' + random.nextInt(6));
    }
    return bytes;
  }

  private static byte[] slice(byte[] data, int from, int length) {
    byte[] out = new byte[length];
    System.arraycopy(data, from, out, 0, length);
    return out;
  }

  private static String sha256(byte[] bytes) {
    return Sha256.of(bytes);
  }
}
