package org.opdeploy.hash;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.error.VerificationException;
import org.opdeploy.io.ReadAhead;
import org.opdeploy.progress.ProgressEvent;
import org.opdeploy.progress.ProgressListener;

/**
 * SHA-256 of the files of a release folder, several files at once (one per core): a release is
 * gigabytes of parts and hashing is what sealing, verifying and publishing spend their time on.
 */
public final class FileDigests {
  private static final int BUFFER = 1 << 20;
  private static final int READ_AHEAD_CHUNKS = 4;

  private FileDigests() {}

  /** Name → lowercase hex SHA-256 for each of {@code names} in {@code dir}. */
  public static Map<String, String> sha256(Path dir, List<String> names, ProgressListener progress)
      throws OpdeployException {
    long total = 0;
    for (String name : names) {
      total += sizeOf(dir.resolve(name));
    }
    AtomicLong done = new AtomicLong();
    long all = total;
    int threads = Math.max(1, Math.min(names.size(), Runtime.getRuntime().availableProcessors()));
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "sha256");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<String>> futures = new ArrayList<>();
      for (String name : names) {
        futures.add(
            pool.submit(
                () ->
                    sha256(
                        dir.resolve(name),
                        n ->
                            progress.progress(
                                ProgressEvent.of("sha256", done.addAndGet(n), all)))));
      }
      Map<String, String> result = new TreeMap<>();
      for (int i = 0; i < names.size(); i++) {
        result.put(names.get(i), futures.get(i).get());
      }
      progress.progress(ProgressEvent.finished("sha256", all));
      return result;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new OpdeployException("cannot read " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OpdeployException("interrupted while computing SHA-256 of " + dir, e);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Lowercase hex SHA-256 of one file; {@code onBytes} hears each chunk's length. A file larger
   * than one buffer is read ahead on another thread, so the hash runs at the speed of SHA-256.
   */
  public static String sha256(Path file, LongConsumer onBytes) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    OutputStream hash =
        new OutputStream() {
          @Override
          public void write(int b) {
            digest.update((byte) b);
            onBytes.accept(1);
          }

          @Override
          public void write(byte[] bytes, int offset, int length) {
            digest.update(bytes, offset, length);
            onBytes.accept(length);
          }
        };
    try (InputStream in = Files.newInputStream(file)) {
      if (Files.size(file) <= BUFFER) {
        in.transferTo(hash); // an index or a manifest: not worth a thread
      } else {
        try (ReadAhead ahead = new ReadAhead(in, READ_AHEAD_CHUNKS, BUFFER, "sha256 read-ahead")) {
          ahead.transferTo(hash);
        }
      }
    } catch (IOException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    return Sha256.hex(digest);
  }

  private static long sizeOf(Path file) throws OpdeployException {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new OpdeployException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Name → SHA-256 for each of {@code names}: from {@code known} where listed (the digests {@code
   * send} took while it wrote the files: on the build side every byte is hashed once), else read
   * from {@code dir}.
   */
  public static Map<String, String> complete(
      Path dir, List<String> names, Map<String, String> known, ProgressListener progress)
      throws OpdeployException {
    List<String> unknown = new ArrayList<>();
    Map<String, String> result = new TreeMap<>();
    for (String name : names) {
      String digest = known.get(name);
      if (digest == null) {
        unknown.add(name);
      } else {
        result.put(name, digest);
      }
    }
    if (!unknown.isEmpty()) {
      result.putAll(sha256(dir, unknown, progress));
    }
    return result;
  }

  /** Checks the files against expected digests; the first mismatch is exit 3 naming the file. */
  public static void requireEqual(
      Map<String, String> expected, Map<String, String> actual, String listName)
      throws VerificationException {
    for (Map.Entry<String, String> entry : new TreeMap<>(expected).entrySet()) {
      String got = actual.get(entry.getKey());
      if (!Sha256.same(entry.getValue(), got)) {
        throw new VerificationException(
            entry.getKey()
                + " does not match "
                + listName
                + " (expected sha256 "
                + entry.getValue()
                + ", got "
                + got
                + "): the file is damaged or was changed");
      }
    }
  }
}
