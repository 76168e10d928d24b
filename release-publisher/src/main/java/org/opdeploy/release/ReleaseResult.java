package org.opdeploy.release;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.store.PublishResult;

/**
 * What a release produced: the manifest (streams, sizes, parent), the folder it was sealed in,
 * where it was published, and how long each step took (steps skipped on a resumed run show zero).
 */
public record ReleaseResult(
    Manifest manifest,
    Path directory,
    PublishResult published,
    String signer,
    Map<String, Duration> timings) {
  public ReleaseResult {
    timings = Map.copyOf(timings);
  }
}
