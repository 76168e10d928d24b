package org.opdeploy.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import org.opdeploy.hash.FileDigests;
import org.opdeploy.progress.ProgressEvent;
import org.opdeploy.progress.ProgressListener;

/**
 * Puts a release's files into a store's staging folder and returns the SHA-256 of each file as the
 * store holds it, for the caller to compare with SHA256SUMS.
 *
 * <p>A large file is reflinked ({@link FileClone}) when the filesystem allows, which writes no
 * data: on the build host's btrfs pool, where {@code release} writes its folder, that saves writing
 * the whole release a second time (issue 11, the {@code release} budget). The clone is then hashed
 * once, read back from the store, rather than trusted because {@code send} hashed the source as it
 * wrote it: those digests are of the bytes send wrote, and nothing proves the source file still
 * held them when it was cloned (a tampered or rewritten file keeps its name, and the store must
 * never hold bytes that do not match SHA256SUMS). The hash reads each byte once and writes none,
 * where the copy reads and writes each; btrfs checks its own data checksums on that read. When the
 * clone is refused (the store on another filesystem, or one without reflinks), each file is copied
 * and hashed in one pass ({@link FileCopy#copyHashing}); a refusal is never an error.
 */
final class ReleaseFileCopy {
  /** Below this, copying costs less than starting {@code cp}: indexes, manifests, signatures. */
  static final long CLONE_FROM = 1 << 20;

  private final FileClone clone;
  private boolean refused;
  private int cloned;

  ReleaseFileCopy(FileClone clone) {
    this.clone = clone;
  }

  /** Copies or clones each of {@code names} from {@code source} to {@code staging}. */
  Map<String, String> copyAll(
      Path source, Path staging, List<String> names, ProgressListener progress) throws IOException {
    long total = 0;
    for (String name : names) {
      total += Files.size(source.resolve(name));
    }
    long all = total;
    long before = 0;
    Map<String, String> digests = new TreeMap<>();
    for (String name : names) {
      long base = before;
      Path from = source.resolve(name);
      long size = Files.size(from);
      LongConsumer onBytes = n -> progress.progress(ProgressEvent.of("copy", base + n, all));
      digests.put(name, cloneOrCopy(from, staging.resolve(name), size, onBytes));
      before += size;
    }
    progress.progress(ProgressEvent.finished("copy", total));
    return digests;
  }

  /** How many files the last {@link #copyAll} reflinked instead of copying. */
  int cloned() {
    return cloned;
  }

  private String cloneOrCopy(Path from, Path to, long size, LongConsumer onBytes)
      throws IOException {
    if (size >= CLONE_FROM && !refused) {
      if (clone.cloneFile(from, to)) {
        cloned++;
        return hashClone(to, onBytes);
      }
      refused = true; // the same filesystems refuse the next file too: do not ask again
    }
    return FileCopy.copyHashing(from, to, onBytes);
  }

  /** The SHA-256 of the store's clone, read back once; synced like a copy would be. */
  private static String hashClone(Path file, LongConsumer onBytes) throws IOException {
    long[] done = {0};
    String sha256 =
        FileDigests.sha256(
            file,
            n -> {
              done[0] += n;
              onBytes.accept(done[0]);
            });
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.force(true); // the shared extents are on disk already; this logs the clone's
    }
    return sha256;
  }
}
