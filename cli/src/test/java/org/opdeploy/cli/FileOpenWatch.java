package org.opdeploy.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Counts, through the kernel's inotify ({@code inotifywait} of inotify-tools), how often each file
 * under some folders is opened for writing and for reading: every way of opening a file — NIO,
 * {@code java.io}, a child process — is seen, so no code path can read a file behind the test's
 * back.
 */
final class FileOpenWatch implements AutoCloseable {
  private static final String SENTINEL = ".file-open-watch-end";

  /** What happened to one file, in order: 'W' a close after writing, 'R' a close after reading. */
  record FileHistory(Path file, String closes) {
    /** Read-only opens after the last open for writing. */
    int readsAfterLastWrite() {
      String after = closes.substring(closes.lastIndexOf('W') + 1);
      return (int) after.chars().filter(c -> c == 'R').count();
    }

    boolean written() {
      return closes.indexOf('W') >= 0;
    }
  }

  private final Process process;
  private final Path log;
  private final Path first;

  private FileOpenWatch(Process process, Path log, Path first) {
    this.process = process;
    this.log = log;
    this.first = first;
  }

  /** Watches {@code folders} (which must exist) and every folder created under them. */
  static FileOpenWatch start(Path work, List<Path> folders) throws Exception {
    if (new ProcessBuilder("sh", "-c", "command -v inotifywait").start().waitFor() != 0) {
      throw new IllegalStateException(
          "inotifywait is missing: run ci/install-deps.sh (apt-get install inotify-tools)");
    }
    Path log = work.resolve("inotify.log");
    Path err = work.resolve("inotify.err");
    List<String> command =
        new ArrayList<>(
            List.of(
                "inotifywait",
                "-m",
                "-r",
                "-e",
                "close_write,close_nowrite,moved_from,moved_to",
                "--format",
                "%e\t%w%f"));
    folders.forEach(f -> command.add(f.toString()));
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(log.toFile())
            .redirectError(err.toFile())
            .start();
    FileOpenWatch watch = new FileOpenWatch(process, log, folders.get(0));
    try {
      for (int i = 0; !Files.readString(err).contains("Watches established"); i++) {
        if (!process.isAlive() || i > 200) {
          throw new IllegalStateException("inotifywait did not start: " + Files.readString(err));
        }
        Thread.sleep(50);
      }
    } catch (Exception | Error e) {
      watch.close();
      throw e;
    }
    return watch;
  }

  /** Every regular file seen so far (after the events up to now have arrived), by path. */
  Map<Path, FileHistory> histories() throws Exception {
    Path sentinel = first.resolve(SENTINEL);
    Files.writeString(sentinel, "end");
    Files.delete(sentinel);
    for (int i = 0; !Files.readString(log).contains(SENTINEL); i++) {
      if (i > 200) {
        throw new IllegalStateException("inotifywait reported nothing of " + sentinel);
      }
      Thread.sleep(50);
    }
    // A file keeps its history when renamed, and so do the files of a renamed folder: writers
    // write a temporary name and rename it, a store renames its staging folder. The kernel queues
    // the two halves of a rename next to each other.
    Map<Path, StringBuilder> closes = new LinkedHashMap<>();
    Path movedFrom = null;
    try (BufferedReader lines = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        String[] fields = line.split("\t", 2);
        if (fields.length < 2 || fields[1].endsWith(SENTINEL)) {
          continue;
        }
        Path path = Path.of(fields[1]);
        if (fields[0].contains("MOVED_FROM")) {
          movedFrom = path;
        } else if (fields[0].contains("MOVED_TO")) {
          if (movedFrom != null) {
            rename(closes, movedFrom, path);
          }
          movedFrom = null;
        } else if (!fields[0].contains("ISDIR")) {
          char kind = fields[0].contains("CLOSE_WRITE") ? 'W' : 'R';
          closes.computeIfAbsent(path, p -> new StringBuilder()).append(kind);
        }
      }
    }
    Map<Path, FileHistory> result = new LinkedHashMap<>();
    closes.forEach((file, kinds) -> result.put(file, new FileHistory(file, kinds.toString())));
    return result;
  }

  private static void rename(Map<Path, StringBuilder> closes, Path from, Path to) {
    for (Path old : List.copyOf(closes.keySet())) {
      if (old.startsWith(from)) {
        StringBuilder history = closes.remove(old);
        Path renamed = to.resolve(from.relativize(old));
        closes.put(renamed, history);
      }
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
