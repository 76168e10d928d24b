package org.opdeploy.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the build left the package, found the way a test run by Maven sees the module. */
final class PackageFiles {
  private PackageFiles() {}

  static Path moduleRoot() {
    return Path.of("").toAbsolutePath();
  }

  static Path projectRoot() {
    return moduleRoot().getParent();
  }

  /** target/opdeploy_VERSION_all.deb; fails when the build has not made exactly one. */
  static Path deb() throws IOException {
    try (Stream<Path> files = Files.list(moduleRoot().resolve("target"))) {
      List<Path> debs =
          files.filter(f -> f.getFileName().toString().matches("opdeploy_.+_all\\.deb")).toList();
      if (debs.size() != 1) {
        throw new IllegalStateException(
            "expected one opdeploy_*_all.deb in target/ (run mvn package), found " + debs);
      }
      return debs.get(0);
    }
  }
}
