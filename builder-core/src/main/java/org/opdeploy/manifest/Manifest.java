package org.opdeploy.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.opdeploy.version.Version;

/**
 * What a release contains, written by {@code send} and read by every target: the {@code
 * <name>-<V>.manifest.json} of DESIGN.md, {@code "format": 1}. Covered by SHA256SUMS and so by the
 * signature.
 */
public record Manifest(
    int format,
    String name,
    Version version,
    Instant created,
    Instant expires,
    Source source,
    Subvolume subvolume,
    BtrfsInfo btrfs,
    String service,
    Health health,
    List<Stream> streams,
    ServiceAccount serviceAccount) {

  public static final int FORMAT = 1;

  public Manifest {
    streams = List.copyOf(streams);
  }

  /** A manifest without a service account: the service runs as its unit says. */
  public Manifest(
      int format,
      String name,
      Version version,
      Instant created,
      Instant expires,
      Source source,
      Subvolume subvolume,
      BtrfsInfo btrfs,
      String service,
      Health health,
      List<Stream> streams) {
    this(
        format, name, version, created, expires, source, subvolume, btrfs, service, health, streams,
        null);
  }

  /**
   * Where the release came from: git commit and tag of the build when known, the golden spec's
   * hash, the deployment repository ({@code owner/name}) and the payload's own source. The last two
   * are absent (null, and left out of the JSON) in manifests that do not know them, older ones
   * included.
   */
  public record Source(
      String commit,
      String tag,
      String specSha256,
      @JsonInclude(JsonInclude.Include.NON_NULL) String repository,
      @JsonInclude(JsonInclude.Include.NON_NULL) PayloadSource payload) {

    /** A source without repository or payload source. */
    public Source(String commit, String tag, String specSha256) {
      this(commit, tag, specSha256, null, null);
    }
  }

  /**
   * The repository, tag and commit the payload (op-dbus) was built from, beside the deployment
   * repository's own commit: a tag in the payload's repository starts the build.
   */
  public record PayloadSource(String repository, String tag, String commit) {}

  /** The read-only snapshot on the build host; a target's received subvolume carries this uuid. */
  public record Subvolume(String uuid) {}

  /** Send protocol version and whether extents were sent compressed. */
  public record BtrfsInfo(int sendProtocol, boolean compressedData) {}

  /** What the target runs after activation to decide whether the version is healthy. */
  public record Health(String command, long timeoutSeconds) {}

  /** The version and snapshot uuid an incremental stream applies on top of. */
  public record Parent(Version version, String uuid) {}

  /**
   * One stored file of a stream, in concatenation order. {@code chunks} is its chunk index: the
   * SHA-256 of each {@code chunkSize} bytes from the file's start (the last chunk may be shorter),
   * so that a target can prove each chunk before it reaches {@code btrfs receive}. Releases made
   * before the index have neither (both null).
   */
  public record StreamFile(
      String name,
      long size,
      String sha256,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long chunkSize,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<String> chunks) {

    public StreamFile {
      chunks = chunks == null ? null : List.copyOf(chunks);
      chunkSize = chunkSize == null || chunkSize == 0 ? null : chunkSize;
    }

    /** A file without a chunk index (older releases). */
    public StreamFile(String name, long size, String sha256) {
      this(name, size, sha256, null, null);
    }

    public boolean hasChunkIndex() {
      return chunkSize != null && chunkSize > 0 && chunks != null;
    }

    /**
     * How many chunks of {@code chunkSize} a file of {@code size} bytes has (an empty file: none).
     */
    public static long chunkCount(long size, long chunkSize) {
      return size == 0 ? 0 : (size - 1) / chunkSize + 1;
    }
  }

  /** One send stream: full or incremental, with its parts and its uncompressed size. */
  public record Stream(
      String kind, Parent parent, String compression, List<StreamFile> files, long streamSize) {
    public static final String FULL = "full";
    public static final String INCREMENTAL = "incremental";

    public Stream {
      files = List.copyOf(files);
    }

    public boolean isFull() {
      return FULL.equals(kind);
    }

    /** Whether every file carries a chunk index: the stream can be proven chunk by chunk. */
    public boolean hasChunkIndex() {
      return files.stream().allMatch(StreamFile::hasChunkIndex);
    }

    public long storedSize() {
      return files.stream().mapToLong(StreamFile::size).sum();
    }
  }

  public Optional<Stream> fullStream() {
    return streams.stream().filter(Stream::isFull).findFirst();
  }

  public Optional<Stream> incrementalFrom(Version parentVersion) {
    return streams.stream()
        .filter(
            s -> !s.isFull() && s.parent() != null && s.parent().version().equals(parentVersion))
        .findFirst();
  }
}
