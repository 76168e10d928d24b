package org.opdeploy.cli.command;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * {@code --installer PATH|none}: opdeploy's Debian package to attach to a release. By default the
 * package the build made next to the running jar ({@code packaging/target/opdeploy_*_all.deb} of a
 * source checkout whose {@code cli/target/opdeploy.jar} runs), when there is exactly one.
 */
public final class InstallerOption {
  @Option(
      names = "--installer",
      paramLabel = "PATH|none",
      description =
          "opdeploy's .deb to attach to the release, covered by SHA256SUMS and its signature "
              + "(default: packaging/target/opdeploy_*_all.deb of the checkout this opdeploy runs from; none: attach nothing).")
  String installer;

  /** The package to attach, or empty. */
  Optional<Path> path() {
    if ("none".equals(installer)) {
      return Optional.empty();
    }
    if (installer != null) {
      return Optional.of(Path.of(installer).toAbsolutePath());
    }
    return packagedNextToJar();
  }

  private static Optional<Path> packagedNextToJar() {
    Path jar;
    try {
      jar =
          Path.of(
              InstallerOption.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
    Path target = jar.getParent();
    if (!jar.getFileName().toString().equals("opdeploy.jar")
        || target == null
        || target.getParent() == null
        || target.getParent().getParent() == null) {
      return Optional.empty();
    }
    Path packages = target.getParent().getParent().resolve("packaging/target");
    if (!Files.isDirectory(packages)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(packages)) {
      List<Path> debs =
          files.filter(f -> f.getFileName().toString().matches("opdeploy_.+_all\\.deb")).toList();
      return debs.size() == 1 ? Optional.of(debs.get(0)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
