package org.opdeploy.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.io.FileTrees;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.seal.ReleaseVerifier;
import org.opdeploy.seal.VerifiedRelease;
import org.opdeploy.stream.SendResult;
import org.opdeploy.version.Version;

/** What a send folder a run left holds, so that a rerun resumes instead of sending again. */
final class SentFolder {
  private SentFolder() {}

  /**
   * A finished send of {@code version} in {@code out} without SHA256SUMS.asc whose files verify,
   * else null.
   */
  static SendResult completeButUnsigned(Path out, String name, Version version) {
    if (!Files.isRegularFile(out.resolve(AssetNames.SHA256SUMS))
        || Files.exists(out.resolve(AssetNames.SHA256SUMS_SIGNATURE))) {
      return null;
    }
    try {
      Manifest manifest =
          new ReleaseVerifier(null, ProgressListener.NONE).verify(out, false).manifest();
      if (!manifest.version().equals(version) || !manifest.name().equals(name)) {
        return null;
      }
      List<Path> files;
      try (Stream<Path> entries = Files.list(out)) {
        files = entries.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
      }
      return new SendResult(manifest, out, out.resolve(AssetNames.manifest(name, version)), files);
    } catch (OpdeployException | IOException | RuntimeException e) {
      return null; // not a complete send: the send step refuses the folder with its own message
    }
  }

  /** A finished send in {@code folder} whose files still verify, else null. */
  static VerifiedRelease reusable(Path folder, ProgressListener progress) {
    try {
      if (!Files.isRegularFile(folder.resolve(AssetNames.SHA256SUMS))) {
        return null;
      }
      return new ReleaseVerifier(null, progress).verify(folder, false);
    } catch (OpdeployException e) {
      progress.info(
          "streams in " + folder + " are incomplete (" + e.getMessage() + "): sending again");
      return null;
    }
  }

  /** Removes {@code folder} and everything in it; nothing when it does not exist. */
  static void clear(Path folder) throws OpdeployException {
    FileTrees.deleteTree(folder);
  }
}
