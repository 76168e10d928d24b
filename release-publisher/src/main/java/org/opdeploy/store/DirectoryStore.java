package org.opdeploy.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.error.VerificationException;
import org.opdeploy.hash.FileDigests;
import org.opdeploy.io.FileTrees;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.manifest.Checksums;
import org.opdeploy.manifest.IndexLimits;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.progress.ProgressEvent;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/**
 * A release store in a local or mounted folder ({@code dir:PATH}): release V is the folder {@code
 * PATH/V/} holding the same asset names as a GitHub release. A release is assembled and checked in
 * a hidden sibling folder and renamed into place, so a reader sees all of it or none. A published
 * release is never changed: publishing the same content again is a no-op, different content is
 * refused. On the release folder's btrfs filesystem the streams are reflinked, not copied, and each
 * file the store holds is hashed and compared with SHA256SUMS before it appears ({@link
 * ReleaseFileCopy}).
 */
public final class DirectoryStore implements ReleaseStore {
  private static final String STAGING_PREFIX = ".staging-";

  /** The store's index of published versions, for readers over HTTPS. */
  public static final String VERSIONS_INDEX = "VERSIONS";

  /** A staging folder this old is the leftover of a crashed run, not one in progress. */
  private static final Duration STALE_STAGING = Duration.ofHours(1);

  private final Path root;
  private final FileClone clone;

  /** A store at {@code root} that reflinks what it can ({@code cp --reflink=always}). */
  public DirectoryStore(Path root) {
    this(root, new CpFileClone(new ProcessRunner()));
  }

  /** A store at {@code root} that clones files through {@code clone} ({@link FileClone#NONE}). */
  public DirectoryStore(Path root, FileClone clone) {
    this.root = root;
    this.clone = clone;
  }

  @Override
  public String describe() {
    return "dir:" + root;
  }

  @Override
  public List<RemoteAsset> assets(Version version) throws OpdeployException {
    Path dir = releaseDir(version);
    if (!Files.isDirectory(dir)) {
      throw new OpdeployException(
          "no release " + version + " in " + describe() + " (" + dir + " does not exist)");
    }
    Map<String, String> sums = readSums(dir);
    List<RemoteAsset> assets = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.startsWith(".") && Files.isRegularFile(entry)) {
          assets.add(new RemoteAsset(name, Files.size(entry), sums.get(name)));
        }
      }
    } catch (IOException e) {
      throw new OpdeployException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    assets.sort(java.util.Comparator.comparing(RemoteAsset::name));
    return assets;
  }

  @Override
  public void download(Version version, RemoteAsset asset, Path partial, ProgressListener progress)
      throws OpdeployException {
    String name = AssetNames.checkFileName(asset.name());
    Path source = releaseDir(version).resolve(name);
    try {
      long size = Files.size(source);
      if (size != asset.size()) {
        throw new OpdeployException(
            describe()
                + " holds "
                + name
                + " of "
                + version
                + " with "
                + size
                + " bytes, not the "
                + asset.size()
                + " expected: list the assets again");
      }
      long have = Files.exists(partial) ? Files.size(partial) : 0;
      // More bytes than the asset has cannot be a prefix of it: start over.
      long from = have <= size ? have : 0;
      String task = "download " + name;
      FileCopy.copyFrom(
          source, from, partial, done -> progress.progress(ProgressEvent.of(task, done, size)));
      progress.progress(ProgressEvent.finished(task, size));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new OpdeployException(
          "no asset " + name + " in release " + version + " of " + describe());
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot copy " + source + " to " + partial + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<Path> localFile(Version version, RemoteAsset asset) throws OpdeployException {
    Path file = releaseDir(version).resolve(AssetNames.checkFileName(asset.name()));
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  @Override
  public List<Version> versions() throws OpdeployException {
    if (!Files.isDirectory(root)) {
      throw new OpdeployException(
          describe() + " does not exist: check the path, or publish a release to it first");
    }
    List<Version> versions = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (Version.isValid(name) && Files.isRegularFile(entry.resolve(AssetNames.SHA256SUMS))) {
          versions.add(Version.parse(name));
        }
      }
    } catch (IOException e) {
      throw new OpdeployException("cannot list " + root + ": " + e.getMessage(), e);
    }
    versions.sort(null);
    return versions;
  }

  @Override
  public PublishResult publish(PublishRequest request, ProgressListener progress)
      throws OpdeployException {
    if (request.draft()) {
      throw new BadInputException(describe() + " has no drafts: publish without --draft");
    }
    Version version = request.version();
    Path source = request.directory();
    byte[] sumsBytes = readSumsBytes(source);
    List<String> names = assetNames(source, sumsBytes);
    Path target = releaseDir(version);
    if (Files.exists(target)) {
      return sameAsPublished(target, sumsBytes, names);
    }
    Path staging = null;
    try {
      Files.createDirectories(root);
      removeStaleStaging(version);
      staging = Files.createTempDirectory(root, STAGING_PREFIX + version + "-");
      Files.setPosixFilePermissions(
          staging, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      ReleaseFileCopy copy = new ReleaseFileCopy(clone);
      Map<String, String> copied = copy.copyAll(source, staging, names, progress);
      Map<String, String> sums =
          Checksums.parse(new String(sumsBytes, StandardCharsets.UTF_8), AssetNames.SHA256SUMS);
      // Check the copy, not the source: what readers will get is what must match. Its SHA-256 is
      // taken as a copy is written or of a reflinked clone, so each file is read once (issue 11).
      FileDigests.requireEqual(sums, copied, AssetNames.SHA256SUMS);
      if (copy.cloned() > 0) {
        progress.info("reflinked " + copy.cloned() + " files from " + source + " (shared extents)");
      }
      FileTrees.syncDirectory(staging);
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (DirectoryNotEmptyException | FileAlreadyExistsException e) {
        // Another publisher finished first; its release stands if it is the same.
        return sameAsPublished(target, sumsBytes, names);
      } catch (FileSystemException e) {
        if (Files.isDirectory(target)) {
          return sameAsPublished(target, sumsBytes, names);
        }
        throw e;
      }
      staging = null;
      FileTrees.syncDirectory(root);
      writeNotes(version, request.notes());
      writeIndex();
      progress.info("published " + version + " to " + target);
      return new PublishResult(target.toUri().toString(), assets(version), names, List.of(), false);
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot publish "
              + version
              + " to "
              + describe()
              + ": "
              + e.getMessage()
              + " (nothing was published)",
          e);
    } finally {
      if (staging != null) {
        FileTrees.deleteQuietly(staging); // a leftover is hidden and removed by a later run
      }
    }
  }

  /**
   * Moves the release's folder out of readers' sight (one rename into a hidden name), rewrites the
   * index, then deletes the moved folder and the release's notes.
   */
  @Override
  public void delete(Version version) throws OpdeployException {
    Path target = releaseDir(version);
    if (!Files.isDirectory(target)) {
      return;
    }
    try {
      Path doomed = Files.createTempDirectory(root, STAGING_PREFIX + version + "-deleting-");
      Files.move(target, doomed.resolve(version.text()), StandardCopyOption.ATOMIC_MOVE);
      FileTrees.syncDirectory(root);
      writeIndex();
      Files.deleteIfExists(root.resolve(version + ".notes.md"));
      FileTrees.deleteTree(doomed);
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot delete " + version + " from " + describe() + ": " + e.getMessage(), e);
    }
  }

  private PublishResult sameAsPublished(Path target, byte[] sumsBytes, List<String> names)
      throws OpdeployException {
    Version version = Version.parse(target.getFileName().toString());
    Map<String, String> published = readSums(target);
    Map<String, String> offered;
    try {
      offered =
          Checksums.parse(new String(sumsBytes, StandardCharsets.UTF_8), AssetNames.SHA256SUMS);
    } catch (BadInputException e) {
      throw new VerificationException(e.getMessage(), e);
    }
    if (!published.equals(offered)) {
      throw new OpdeployException(
          describe()
              + " already holds "
              + version
              + " and "
              + firstDifference(published, offered)
              + ": a published release is never replaced; publish a new version");
    }
    for (String name : offered.keySet()) {
      if (!Files.isRegularFile(target.resolve(name))) {
        throw new OpdeployException(
            target
                + " lacks "
                + name
                + ": the published release was damaged; "
                + "move it aside and publish again");
      }
    }
    return new PublishResult(target.toUri().toString(), assets(version), List.of(), names, false);
  }

  private static String firstDifference(
      Map<String, String> published, Map<String, String> offered) {
    for (String name : new java.util.TreeSet<>(offered.keySet())) {
      if (!published.containsKey(name)) {
        return "lacks " + name;
      }
      if (!published.get(name).equals(offered.get(name))) {
        return "its " + name + " differs";
      }
    }
    for (String name : new java.util.TreeSet<>(published.keySet())) {
      if (!offered.containsKey(name)) {
        return "it also has " + name + ", which this release lacks";
      }
    }
    return "its SHA256SUMS differs";
  }

  /**
   * SHA256SUMS's files, then SHA256SUMS and its signature when present: exactly what is published.
   */
  private static List<String> assetNames(Path source, byte[] sumsBytes) throws OpdeployException {
    List<String> names;
    try {
      names =
          new ArrayList<>(
              Checksums.parse(
                      new String(sumsBytes, StandardCharsets.UTF_8),
                      source.resolve(AssetNames.SHA256SUMS).toString())
                  .keySet());
    } catch (BadInputException e) {
      throw new VerificationException(e.getMessage(), e);
    }
    names.add(AssetNames.SHA256SUMS);
    if (Files.exists(source.resolve(AssetNames.SHA256SUMS_SIGNATURE))) {
      names.add(AssetNames.SHA256SUMS_SIGNATURE);
    }
    return names;
  }

  /**
   * Rewrites {@code PATH/VERSIONS}, the published versions one a line, so that a web server serving
   * this folder can be listed ({@link HttpsReleaseSource#versions}).
   */
  private void writeIndex() throws IOException, OpdeployException {
    StringBuilder text = new StringBuilder();
    for (Version v : versions()) {
      text.append(v).append('\n');
    }
    Path temp = Files.createTempFile(root, "." + VERSIONS_INDEX + ".", ".tmp");
    Files.writeString(temp, text, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(
        temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    Files.move(
        temp,
        root.resolve(VERSIONS_INDEX),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  private void writeNotes(Version version, String notes) throws IOException {
    if (notes == null || notes.isBlank()) {
      return;
    }
    Path file = root.resolve(version + ".notes.md");
    Path temp = Files.createTempFile(root, "." + version + ".notes.", ".tmp");
    Files.writeString(temp, notes.endsWith("\n") ? notes : notes + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(
        temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private void removeStaleStaging(Version version) throws IOException {
    Instant cutoff = Instant.now().minus(STALE_STAGING);
    try (DirectoryStream<Path> entries =
        Files.newDirectoryStream(root, STAGING_PREFIX + version + "-*")) {
      for (Path entry : entries) {
        if (Files.getLastModifiedTime(entry).toInstant().isBefore(cutoff)) {
          FileTrees.deleteQuietly(entry);
        }
      }
    }
  }

  private Path releaseDir(Version version) {
    return root.resolve(version.text());
  }

  /**
   * SHA256SUMS, refused past its fixed cap before it is read: a store's index is unauthenticated
   * here.
   */
  private static byte[] readSumsBytes(Path dir) throws OpdeployException {
    Path file = dir.resolve(AssetNames.SHA256SUMS);
    try (java.io.InputStream in = Files.newInputStream(file)) {
      IndexLimits.requireWithin(AssetNames.SHA256SUMS, Files.size(file), file.toString());
      return IndexLimits.read(in, AssetNames.SHA256SUMS, file.toString());
    } catch (java.nio.file.NoSuchFileException e) {
      throw new VerificationException(
          dir + " has no " + AssetNames.SHA256SUMS + ": seal the release before publishing");
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot read " + dir.resolve(AssetNames.SHA256SUMS) + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, String> readSums(Path dir) throws OpdeployException {
    byte[] bytes = readSumsBytes(dir);
    try {
      return Checksums.parse(
          new String(bytes, StandardCharsets.UTF_8), dir.resolve(AssetNames.SHA256SUMS).toString());
    } catch (BadInputException e) {
      throw new VerificationException(e.getMessage(), e);
    }
  }
}
