package org.opdeploy.snapshot;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.manifest.ManifestCodec;
import org.opdeploy.version.Version;

/**
 * The manifest of every send, kept in {@code <pool>/.opdeploy/manifests/}: how {@code prune} knows
 * which snapshots published incrementals were computed against and so must stay.
 */
public final class SentManifests {
  private final PoolLayout layout;

  public SentManifests(PoolLayout layout) {
    this.layout = layout;
  }

  public Path directory() {
    return layout.sentManifests();
  }

  Path fileOf(Version version) {
    return directory().resolve(AssetNames.manifest(layout.name(), version));
  }

  /** Records (or replaces) the manifest of the version it names, atomically. */
  public void record(Manifest manifest) throws OpdeployException {
    Path file = fileOf(manifest.version());
    Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
    try {
      Files.createDirectories(directory());
      Files.write(temporary, ManifestCodec.encode(manifest));
      try {
        Files.move(
            temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot record the manifest in " + directory() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The parent versions each sent version's incrementals use. An unreadable record fails: pruning
   * on a guess could delete a parent that is still needed.
   */
  public Map<Version, List<Version>> parentsByVersion() throws OpdeployException {
    Map<Version, List<Version>> parents = new HashMap<>();
    if (!Files.isDirectory(directory())) {
      return parents;
    }
    String suffix = ".manifest.json";
    List<Path> files;
    try (Stream<Path> entries = Files.list(directory())) {
      files =
          entries
              .filter(p -> p.getFileName().toString().endsWith(suffix))
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new OpdeployException("cannot read " + directory() + ": " + e.getMessage(), e);
    }
    for (Path file : files) {
      Manifest manifest = read(file);
      List<Version> used = new java.util.ArrayList<>();
      for (Manifest.Stream stream : manifest.streams()) {
        if (stream.parent() != null) {
          used.add(stream.parent().version());
        }
      }
      parents.put(manifest.version(), List.copyOf(used));
    }
    return parents;
  }

  /**
   * The manifest recorded for {@code version}'s send, if any (what the next send estimates its size
   * from).
   */
  public Optional<Manifest> find(Version version) throws OpdeployException {
    Path file = fileOf(version);
    return Files.isRegularFile(file) ? Optional.of(read(file)) : Optional.empty();
  }

  /** Forgets a version's manifest (its snapshot was pruned). */
  public void forget(Version version) throws OpdeployException {
    try {
      Files.deleteIfExists(fileOf(version));
    } catch (IOException e) {
      throw new OpdeployException("cannot remove " + fileOf(version) + ": " + e.getMessage(), e);
    }
  }

  private static Manifest read(Path file) throws OpdeployException {
    try {
      return ManifestCodec.decode(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new OpdeployException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (BadInputException e) {
      throw new OpdeployException(e.getMessage() + "; fix or remove it before pruning", e);
    }
  }
}
