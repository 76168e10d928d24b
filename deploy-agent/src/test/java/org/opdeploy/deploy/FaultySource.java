package org.opdeploy.deploy;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressEvent;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.store.ReleaseSource;
import org.opdeploy.store.RemoteAsset;
import org.opdeploy.version.Version;

/**
 * A remote-like release source over a {@code dir:} store folder ({@code root/<V>/<asset>}), for
 * fault injection only (the real {@code DirectoryStore} is used everywhere else): it has no local
 * files, so the target downloads into its cache; it continues after the bytes already in the
 * partial file, reports progress, records every request with its starting offset, and can be told
 * to break a download once after N bytes.
 */
final class FaultySource implements ReleaseSource {
  record Request(String asset, long offset) {}

  private final Path root;
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private volatile String breakAsset;
  private volatile long breakAfter;

  FaultySource(Path root) {
    this.root = root;
  }

  /** The next download of {@code asset} fails after writing {@code bytes} bytes. */
  void breakOnce(String asset, long bytes) {
    breakAsset = asset;
    breakAfter = bytes;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  boolean requested(String asset) {
    return requests.stream().anyMatch(r -> r.asset().equals(asset));
  }

  @Override
  public String describe() {
    return "faulty:" + root;
  }

  @Override
  public List<RemoteAsset> assets(Version version) throws OpdeployException {
    Path dir = root.resolve(version.toString());
    if (!Files.isDirectory(dir)) {
      throw new OpdeployException("no release " + version + " in " + describe());
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<RemoteAsset> assets = new ArrayList<>();
      for (Path file : files.sorted().toList()) {
        // Like a plain folder store: names and sizes, no digest (SHA256SUMS is the authority).
        assets.add(new RemoteAsset(file.getFileName().toString(), Files.size(file), null));
      }
      return assets;
    } catch (IOException e) {
      throw new OpdeployException("cannot list " + dir, e);
    }
  }

  @Override
  public void download(Version version, RemoteAsset asset, Path partial, ProgressListener progress)
      throws OpdeployException {
    Path file = root.resolve(version.toString()).resolve(asset.name());
    try {
      long offset = Files.exists(partial) ? Files.size(partial) : 0;
      requests.add(new Request(asset.name(), offset));
      boolean breakNow = asset.name().equals(breakAsset);
      if (breakNow) {
        breakAsset = null;
      }
      // Copies kernel-side in 32 MiB slices, as a folder store would, reporting progress after
      // each.
      long end = breakNow ? Math.min(breakAfter, asset.size()) : asset.size();
      try (FileChannel in = FileChannel.open(file);
          FileChannel out =
              FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        long done = offset;
        while (done < end) {
          done += in.transferTo(done, Math.min(32L << 20, end - done), out.position(done));
          progress.progress(ProgressEvent.of(asset.name(), done, asset.size()));
        }
      }
      if (breakNow) {
        throw new OpdeployException("connection reset while downloading " + asset.name());
      }
    } catch (IOException e) {
      throw new OpdeployException("cannot copy " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens the asset at {@code offset} like a ranged HTTP request; a stream told to break (see
   * {@link #breakOnce}) fails with "connection reset" once it reaches that byte of the file.
   */
  @Override
  public InputStream open(Version version, RemoteAsset asset, long offset)
      throws OpdeployException {
    Path file = root.resolve(version.toString()).resolve(asset.name());
    requests.add(new Request(asset.name(), offset));
    boolean breakNow = asset.name().equals(breakAsset);
    if (breakNow) {
      breakAsset = null;
    }
    long breakAt = breakAfter;
    try {
      InputStream in = Files.newInputStream(file);
      in.skipNBytes(offset);
      if (!breakNow) {
        return in;
      }
      return new FilterInputStream(in) {
        private long position = offset;

        @Override
        public int read(byte[] buffer, int at, int length) throws IOException {
          if (position >= breakAt) {
            throw new IOException("connection reset while reading " + asset.name());
          }
          int n = super.read(buffer, at, (int) Math.min(length, breakAt - position));
          position += Math.max(n, 0);
          return n;
        }
      };
    } catch (IOException e) {
      throw new OpdeployException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<Version> versions() throws OpdeployException {
    try (Stream<Path> dirs = Files.list(root)) {
      List<Version> versions = new ArrayList<>();
      for (Path dir : dirs.toList()) {
        if (Version.isValid(dir.getFileName().toString())) {
          versions.add(Version.parse(dir.getFileName().toString()));
        }
      }
      return versions;
    } catch (IOException e) {
      throw new OpdeployException("cannot list " + root, e);
    }
  }
}
