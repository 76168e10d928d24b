package org.opdeploy.deploy.release;

import java.nio.file.Path;
import java.util.List;
import org.opdeploy.deploy.inventory.Deployment;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.seal.SignedIndex;
import org.opdeploy.version.Version;

/**
 * A release downloaded into {@code <root>/cache/<V>/}: its proven index, the one stream this target
 * needs (incremental when it holds the parent, else full) and that stream's files in order.
 *
 * @param source the source it came from, as the user wrote it ({@link
 *     org.opdeploy.store.ReleaseSource#describe})
 * @param parent the local deployment an incremental stream applies to; null for a full stream
 * @param streamed where the stream is read from while it is received, chunk by chunk, when it is
 *     not fetched first (then {@code streamFiles} is empty); null when it was fetched
 */
public record FetchedRelease(
    String source,
    Version version,
    Path directory,
    SignedIndex index,
    Manifest.Stream stream,
    Deployment parent,
    List<FetchedFile> streamFiles,
    StreamedFiles streamed) {

  public FetchedRelease {
    streamFiles = List.copyOf(streamFiles);
  }

  /** A release whose stream files were fetched (or verified in place) before the receive. */
  public FetchedRelease(
      String source,
      Version version,
      Path directory,
      SignedIndex index,
      Manifest.Stream stream,
      Deployment parent,
      List<FetchedFile> streamFiles) {
    this(source, version, directory, index, stream, parent, streamFiles, null);
  }

  public Manifest manifest() {
    return index.manifest();
  }

  public boolean incremental() {
    return !stream.isFull();
  }

  public long downloadedBytes() {
    return streamFiles.stream().mapToLong(FetchedFile::size).sum();
  }
}
