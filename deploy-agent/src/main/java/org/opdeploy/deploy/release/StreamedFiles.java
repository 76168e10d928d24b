package org.opdeploy.deploy.release;

import java.nio.file.Path;
import java.util.List;
import org.opdeploy.http.RetryPolicy;
import org.opdeploy.store.ReleaseSource;
import org.opdeploy.store.RemoteAsset;

/**
 * A stream that is not fetched before it is received but read from its source while it is received,
 * each chunk proven against the signed manifest's chunk index before it is fed.
 *
 * @param assets the stream's files at the source, in the manifest's order
 * @param retry how often a dropped read is resumed from the end of the last proven chunk
 * @param keepIn the cache folder proven files are also written to ({@code --keep-cache}), or null
 */
public record StreamedFiles(
    ReleaseSource source, List<RemoteAsset> assets, RetryPolicy retry, Path keepIn) {
  public StreamedFiles {
    assets = List.copyOf(assets);
  }
}
