package org.opdeploy.deploy.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.deploy.release.StreamedFiles;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.hash.Sha256;
import org.opdeploy.http.RetryPolicy;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.store.ReleaseSource;
import org.opdeploy.store.RemoteAsset;
import org.opdeploy.version.Version;

/** The chunk rule, without btrfs: what the reader of the stream gets is only ever proven chunks. */
class ProvenChunksTest {
  private static final int CHUNK = 64 << 10;
  private static final Version V = version();
  @TempDir Path dir;

  @Test
  void aTamperedChunkIsNeverHandedOnAndEverythingBeforeItIsTheOriginal() throws Exception {
    byte[] original = random(10 * CHUNK + 123);
    Manifest.StreamFile file = indexed("s.send.zst", original);
    byte[] served = original.clone();
    int k = 6;
    served[k * CHUNK + 4000] ^= 1;
    MemorySource source = new MemorySource(served);

    ProvenChunks chunks =
        new ProvenChunks(streamed(source, file, dir), V, List.of(file), ProgressListener.NONE);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    assertThatThrownBy(() -> copy(chunks, got))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("chunk " + k + " of s.send.zst");
    chunks.close();

    assertThat(got.size())
        .as("the reader got chunks 0 to k-1, nothing of chunk k")
        .isEqualTo(k * CHUNK);
    assertThat(got.toByteArray()).isEqualTo(Arrays.copyOf(original, k * CHUNK));
    assertThat(chunks.refusal(true))
        .get()
        .extracting(Throwable::getMessage)
        .asString()
        .contains("does not match its SHA-256 in the signed manifest");
    assertThat(dir).as("nothing of a refused stream is kept").isEmptyDirectory();
  }

  @Test
  void aDroppedReadResumesFromTheEndOfTheLastProvenChunk() throws Exception {
    byte[] original = random(5 * CHUNK + 7);
    Manifest.StreamFile file = indexed("s.send.zst", original);
    MemorySource source = new MemorySource(original);
    source.breakAt = 2 * CHUNK + 1000;

    ProvenChunks chunks =
        new ProvenChunks(streamed(source, file, null), V, List.of(file), ProgressListener.NONE);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    copy(chunks, got);
    chunks.close();

    assertThat(got.toByteArray()).isEqualTo(original);
    assertThat(source.offsets).containsExactly(0L, 2L * CHUNK);
    assertThat(chunks.refusal(false)).isEmpty();
  }

  @Test
  void aSourceThatKeepsFailingIsASourceFailureNotARefusal() throws Exception {
    byte[] original = random(3 * CHUNK);
    Manifest.StreamFile file = indexed("s.send.zst", original);
    MemorySource source = new MemorySource(original);
    source.breakAt = CHUNK + 10;
    source.breakEveryTime = true;

    ProvenChunks chunks =
        new ProvenChunks(streamed(source, file, null), V, List.of(file), ProgressListener.NONE);
    assertThatThrownBy(() -> copy(chunks, new ByteArrayOutputStream()))
        .hasMessageContaining("failed 3 times");
    chunks.close();

    assertThat(chunks.refusal(true)).isEmpty();
    assertThat(chunks.sourceFailure()).isPresent();
    assertThat(source.offsets).containsExactly(0L, (long) CHUNK, (long) CHUNK);
  }

  @Test
  @org.junit.jupiter.api.Timeout(
      value = 60,
      threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void closingStopsAReadBlockedOnAStalledConnection() throws Exception {
    byte[] original = random(3 * CHUNK);
    Manifest.StreamFile file = indexed("s.send.zst", original);
    MemorySource source = new MemorySource(original);
    source.stallAt = CHUNK + 5;
    ProvenChunks chunks =
        new ProvenChunks(streamed(source, file, null), V, List.of(file), ProgressListener.NONE);
    Thread consumer =
        new Thread(
            () -> {
              try {
                copy(chunks, new ByteArrayOutputStream());
              } catch (IOException e) {
                // interrupted, as the feed's reader is when the receive stops
              }
            });
    consumer.start();
    assertThat(source.stalled.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    consumer.interrupt();
    consumer.join(10_000);

    long start = System.nanoTime();
    chunks.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(consumer.isAlive()).isFalse();
  }

  @Test
  void provenFilesAreKeptWhenAsked() throws Exception {
    byte[] original = random(3 * CHUNK + 5);
    Manifest.StreamFile file = indexed("s.send.zst", original);

    ProvenChunks chunks =
        new ProvenChunks(
            streamed(new MemorySource(original), file, dir),
            V,
            List.of(file),
            ProgressListener.NONE);
    copy(chunks, new ByteArrayOutputStream());
    chunks.close();

    assertThat(Files.readAllBytes(dir.resolve("s.send.zst"))).isEqualTo(original);
    assertThat(dir.resolve("s.send.zst.partial")).doesNotExist();
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) throws IOException {
    byte[] buffer = new byte[10_000]; // not a divisor of the chunk size
    int n;
    while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
      out.write(buffer, 0, n);
    }
  }

  private static StreamedFiles streamed(ReleaseSource source, Manifest.StreamFile file, Path keep) {
    return new StreamedFiles(
        source,
        List.of(new RemoteAsset(file.name(), file.size(), null)),
        RetryPolicy.of(3, Duration.ZERO),
        keep);
  }

  private static Manifest.StreamFile indexed(String name, byte[] bytes) {
    List<String> chunks = new ArrayList<>();
    for (int at = 0; at < bytes.length; at += CHUNK) {
      chunks.add(Sha256.of(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + CHUNK))));
    }
    return new Manifest.StreamFile(name, bytes.length, "0".repeat(64), (long) CHUNK, chunks);
  }

  private static Version version() {
    try {
      return Version.parse("v1.0.0");
    } catch (org.opdeploy.error.BadInputException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  /** A remote-like source over bytes in memory that records every opening and can break reads. */
  private static final class MemorySource implements ReleaseSource {
    final byte[] bytes;
    final List<Long> offsets = Collections.synchronizedList(new ArrayList<>());
    volatile long breakAt = -1;
    volatile boolean breakEveryTime;
    volatile long stallAt = -1;
    final java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(1);

    MemorySource(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public InputStream open(Version version, RemoteAsset asset, long offset) {
      offsets.add(offset);
      long limit = breakAt;
      if (!breakEveryTime) {
        breakAt = -1;
      }
      InputStream in = new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset);
      if (stallAt >= 0) {
        return stalling(in, offset);
      }
      if (limit < 0) {
        return in;
      }
      return new FilterInputStream(in) {
        long position = offset;

        @Override
        public int read(byte[] buffer, int at, int length) throws IOException {
          if (position >= limit) {
            throw new IOException("connection reset");
          }
          int n = super.read(buffer, at, (int) Math.min(length, limit - position));
          position += Math.max(n, 0);
          return n;
        }
      };
    }

    /**
     * Serves bytes up to {@code stallAt}, then blocks like a dead connection until it is closed.
     */
    private InputStream stalling(InputStream in, long offset) {
      java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
      return new FilterInputStream(in) {
        long position = offset;

        @Override
        public int read(byte[] buffer, int at, int length) throws IOException {
          if (position >= stallAt) {
            stalled.countDown();
            boolean interrupted = false;
            while (closed.getCount() > 0) {
              try {
                closed.await(); // deaf to interrupts, like a socket read
              } catch (InterruptedException e) {
                interrupted = true;
              }
            }
            if (interrupted) {
              Thread.currentThread().interrupt();
            }
            throw new IOException("closed");
          }
          int n = super.read(buffer, at, (int) Math.min(length, stallAt - position));
          position += Math.max(n, 0);
          return n;
        }

        @Override
        public void close() {
          closed.countDown();
        }
      };
    }

    @Override
    public String describe() {
      return "memory:";
    }

    @Override
    public List<RemoteAsset> assets(Version version) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void download(
        Version version, RemoteAsset asset, Path partial, ProgressListener progress)
        throws OpdeployException {
      throw new OpdeployException("not used");
    }

    @Override
    public List<Version> versions() {
      return List.of();
    }
  }
}
