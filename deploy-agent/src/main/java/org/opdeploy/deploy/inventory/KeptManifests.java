package org.opdeploy.deploy.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.opdeploy.deploy.layout.TargetLayout;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.manifest.ManifestCodec;
import org.opdeploy.version.Version;

/**
 * The manifests of deployed versions, kept in {@code <root>/cache/<V>/} after a receive (the
 * streams are dropped, the small signed index stays). Activation reads the unit and health check
 * from here, so switching versions needs no network.
 */
public final class KeptManifests {
  private final TargetLayout layout;

  public KeptManifests(TargetLayout layout) {
    this.layout = layout;
  }

  /** The manifest verified when {@code version} was deployed, if still in the cache. */
  public Optional<Manifest> find(Version version) throws OpdeployException {
    Path dir = layout.cache(version);
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    String suffix = "-" + version + ".manifest.json";
    Optional<Path> file;
    try (Stream<Path> entries = Files.list(dir)) {
      file = entries.filter(p -> p.getFileName().toString().endsWith(suffix)).findFirst();
    } catch (IOException e) {
      throw new OpdeployException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    if (file.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          ManifestCodec.decode(Files.readAllBytes(file.get()), file.get().toString()));
    } catch (IOException | BadInputException e) {
      throw new OpdeployException("cannot read " + file.get() + ": " + e.getMessage(), e);
    }
  }
}
