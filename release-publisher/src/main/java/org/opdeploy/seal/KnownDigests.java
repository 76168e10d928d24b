package org.opdeploy.seal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;

/**
 * The SHA-256 of a release folder's files where the digests taken while {@code send} wrote them are
 * known, hashing only the others: on the build side every byte is read and hashed once after {@code
 * btrfs send} produced it (DESIGN.md).
 */
final class KnownDigests {
  private KnownDigests() {}

  /**
   * Name → SHA-256 for each of {@code names}: from {@code known} where listed, else read from
   * {@code dir}.
   */
  static Map<String, String> complete(
      Path dir, List<String> names, Map<String, String> known, ProgressListener progress)
      throws OpdeployException {
    List<String> unknown = new ArrayList<>();
    Map<String, String> result = new TreeMap<>();
    for (String name : names) {
      String digest = known.get(name);
      if (digest == null) {
        unknown.add(name);
      } else {
        result.put(name, digest);
      }
    }
    if (!unknown.isEmpty()) {
      result.putAll(FileDigests.sha256(dir, unknown, progress));
    }
    return result;
  }
}
