package org.opdeploy.stream;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.io.FileTrees;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.version.Version;

/**
 * The {@code --out} folder of one send. Everything is first written under a hidden temporary name
 * and only renamed to its asset name by {@link #commit()}, with {@code SHA256SUMS} last: an
 * interrupted or failed send leaves nothing that looks finished, and {@link #discard()} removes
 * what it can. A marker file is written before the first rename and removed after the last: a send
 * killed in between leaves it, and the next send of the version removes that send's files and
 * starts over instead of refusing the folder.
 */
final class OutputFolder {
  private record Staged(Path temporary, String name) {}

  private final Path directory;
  private final String name;
  private final Version version;
  private final List<Staged> staged = new ArrayList<>();
  private final List<Path> committed = new ArrayList<>();

  OutputFolder(Path directory, String name, Version version) {
    this.directory = directory;
    this.name = name;
    this.version = version;
  }

  Path directory() {
    return directory;
  }

  /** Present from before the first rename until after the last one. */
  Path incompleteMarker() {
    return directory.resolve("." + name + "-" + version + ".send-incomplete");
  }

  /** True when a send of this version was killed while renaming its files into place. */
  boolean interrupted() {
    return Files.exists(incompleteMarker(), LinkOption.NOFOLLOW_LINKS)
        && !Files.exists(directory.resolve(AssetNames.SHA256SUMS), LinkOption.NOFOLLOW_LINKS);
  }

  /** Refuses a folder that already holds this version's assets or a SHA256SUMS; changes nothing. */
  void checkUsable() throws OpdeployException {
    if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(directory)) {
      throw new BadInputException("--out " + directory + " is not a directory");
    }
    if (interrupted()) {
      return; // create() removes what the interrupted send left
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        String file = entry.getFileName().toString();
        if (isOurAsset(file)) {
          throw new BadInputException(
              "--out "
                  + directory
                  + " already holds "
                  + file
                  + " from an earlier send: use an empty directory or remove it first");
        }
      }
    } catch (IOException e) {
      throw new BadInputException("cannot read --out " + directory + ": " + e.getMessage(), e);
    }
  }

  private boolean isOurAsset(String file) {
    String prefix = name + "-" + version;
    return file.equals(AssetNames.SHA256SUMS)
        || file.equals(AssetNames.SHA256SUMS_SIGNATURE)
        || file.equals(AssetNames.manifest(name, version))
        || file.startsWith(prefix + ".send")
        || file.startsWith(prefix + "-from-");
  }

  /**
   * Creates the folder and removes temporaries an interrupted send of this version left, and the
   * renamed files of a send killed while renaming (see {@link #incompleteMarker()}).
   *
   * @return whether such a send was cleaned up
   */
  boolean create() throws OpdeployException {
    boolean restarted = interrupted();
    try {
      Files.createDirectories(directory);
      if (restarted) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
          for (Path entry : entries) {
            if (isOurAsset(entry.getFileName().toString())) {
              Files.deleteIfExists(entry);
            }
          }
        }
        Files.deleteIfExists(incompleteMarker());
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, ".*.tmp")) {
        for (Path entry : entries) {
          String file = entry.getFileName().toString();
          if (isOurAsset(file.substring(1)) || file.startsWith("." + AssetNames.SHA256SUMS)) {
            Files.deleteIfExists(entry);
          }
        }
      }
    } catch (IOException e) {
      throw new OpdeployException("cannot prepare --out " + directory + ": " + e.getMessage(), e);
    }
    return restarted;
  }

  /** Registers a finished temporary file to become asset {@code assetName} on commit. */
  void stage(Path temporary, String assetName) {
    staged.add(new Staged(temporary, assetName));
  }

  /** Writes a small file under a temporary name, synced, and stages it. */
  void write(String assetName, byte[] content) throws OpdeployException {
    Path temporary = directory.resolve("." + assetName + ".tmp");
    staged.add(new Staged(temporary, assetName));
    try (FileChannel channel =
        FileChannel.open(
            temporary,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot write "
              + assetName
              + " to "
              + directory
              + ": "
              + e.getMessage()
              + "; free space there or choose another --out",
          e);
    }
  }

  /** Renames every staged file to its asset name, in staging order, and syncs the folder. */
  List<Path> commit() throws OpdeployException {
    try {
      Files.write(incompleteMarker(), new byte[0]);
      syncFolder();
    } catch (IOException e) {
      throw new OpdeployException("cannot write " + incompleteMarker() + ": " + e.getMessage(), e);
    }
    for (Staged file : staged) {
      Path target = directory.resolve(file.name());
      try {
        try {
          Files.move(file.temporary(), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(file.temporary(), target);
        }
      } catch (IOException e) {
        throw new OpdeployException(
            "cannot rename " + file.temporary() + " to " + target + ": " + e.getMessage(), e);
      }
      committed.add(target);
    }
    syncFolder();
    deleteQuietly(incompleteMarker());
    syncFolder();
    return List.copyOf(committed);
  }

  /** Deletes every staged and committed file; never throws. */
  void discard() {
    // SHA256SUMS went last; removing in reverse takes away the sign of completion first.
    for (int i = committed.size() - 1; i >= 0; i--) {
      deleteQuietly(committed.get(i));
    }
    staged.forEach(file -> deleteQuietly(file.temporary()));
    deleteQuietly(incompleteMarker());
  }

  private void syncFolder() {
    try {
      FileTrees.syncDirectory(directory);
    } catch (IOException e) {
      // Some filesystems cannot sync a directory; the renames are still complete.
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // Best effort; anything left has a temporary name.
    }
  }
}
