package org.opdeploy.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.error.Printable;
import org.opdeploy.golden.DurationText;
import org.opdeploy.golden.GoldenSpec;
import org.opdeploy.golden.HealthCheck;
import org.opdeploy.golden.SpecDigest;
import org.opdeploy.golden.StepPath;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.manifest.ServiceAccount;
import org.opdeploy.stream.ReleaseContext;

/**
 * What commands that do not build (list, prune, send) need from a golden spec — its name, service
 * unit, health check and digest — read without the payload's variables having to be set, as
 * they must be for a full {@link GoldenSpec#load}.
 */
public record SpecSummary(String name, String service, Manifest.Health health, Path folder,
    ServiceAccount serviceAccount) {

  /** The summary of the spec at {@code specDirOrFile}, or empty when there is no spec there. */
  public static Optional<SpecSummary> read(Path specDirOrFile) throws OpdeployException {
    Path file = Files.isDirectory(specDirOrFile) ? specDirOrFile.resolve(GoldenSpec.FILE_NAME) : specDirOrFile;
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode tree;
    try {
      tree = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new BadInputException(file + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    // Every command that reads the spec refuses a step outside its folder, as golden validate does.
    Path folder = file.toAbsolutePath().normalize().getParent();
    int i = 0;
    for (JsonNode step : tree.path("steps")) {
      try {
        StepPath.inside(folder, step.asText(), "steps[" + i++ + "]");
      } catch (BadInputException e) {
        throw new BadInputException("golden spec " + Printable.of(file) + ": " + e.getMessage());
      }
    }
    String name = tree.path("name").isTextual() ? AssetNames.checkName(tree.path("name").asText()) : null;
    String service = tree.path("service").isTextual() ? tree.path("service").asText() : null;
    Manifest.Health health = null;
    if (tree.path("health").path("command").isTextual()) {
      JsonNode timeout = tree.path("health").path("timeout");
      long seconds = timeout.isMissingNode() ? HealthCheck.DEFAULT_TIMEOUT.toSeconds()
          : DurationText.parse(timeout.asText(), "health timeout").toSeconds();
      health = new Manifest.Health(tree.path("health").path("command").asText(), seconds);
    }
    return Optional.of(new SpecSummary(name, service, health, file.getParent(), serviceAccount(tree)));
  }

  private static ServiceAccount serviceAccount(JsonNode tree) throws BadInputException {
    JsonNode node = tree.path("service-account");
    if (node.isMissingNode()) {
      return null;
    }
    java.util.List<String> capabilities = new java.util.ArrayList<>();
    node.path("capabilities").forEach(c -> capabilities.add(c.asText()));
    return ServiceAccount.of(node.path("user").isTextual() ? node.path("user").asText() : null,
        node.path("dynamic-user").asBoolean(false), capabilities, "service-account");
  }

  /** The digest of the spec folder (reads every file of it: only for a manifest). */
  public String sha256() throws OpdeployException {
    return SpecDigest.of(folder);
  }

  /** The manifest facts this spec contributes: its digest, and the build's git commit and tag. */
  public ReleaseContext releaseContext(String specSha256, String commit, String tag) {
    return new ReleaseContext(service, health, specSha256, commit, tag, null, serviceAccount);
  }
}
