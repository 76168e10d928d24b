package org.opdeploy.deploy.release;

import java.nio.file.Path;
import java.util.List;
import org.opdeploy.deploy.Deployment;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.version.Version;

/**
 * A release downloaded into {@code <root>/cache/<V>/}: its proven index, the one stream this target
 * needs (incremental when it holds the parent, else full) and that stream's files in order.
 *
 * @param source the source it came from, as the user wrote it ({@link
 *     org.opdeploy.store.ReleaseSource#describe})
 * @param parent the local deployment an incremental stream applies to; null for a full stream
 */
public record FetchedRelease(
    String source,
    Version version,
    Path directory,
    ReleaseIndex index,
    Manifest.Stream stream,
    Deployment parent,
    List<FetchedFile> streamFiles) {

  public FetchedRelease {
    streamFiles = List.copyOf(streamFiles);
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
