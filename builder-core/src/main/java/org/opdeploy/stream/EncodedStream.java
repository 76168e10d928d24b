package org.opdeploy.stream;

import java.util.List;
import org.opdeploy.manifest.AssetNames;

/**
 * One send stream after encoding: its asset name, the staged files in concatenation order and the
 * size of the uncompressed stream.
 */
record EncodedStream(String name, List<StagedFile> parts, long streamSize) {
  EncodedStream {
    parts = List.copyOf(parts);
  }

  /** The asset name of file {@code index}: the stream's own name when it was not split. */
  String fileName(int index) {
    return parts.size() == 1 ? name : AssetNames.part(name, index);
  }

  long storedSize() {
    return parts.stream().mapToLong(StagedFile::size).sum();
  }
}
