package org.opdeploy.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.manifest.Manifest;

class BuildSourceTest {
  @TempDir Path folder;

  @Test
  void aDispatchedBuildRecordsThePayloadsTagAndCommitBesideTheDeploymentRepositorys() {
    BuildSource source =
        BuildSource.detect(
            Map.of(
                "GITHUB_SHA", "1".repeat(40),
                "GITHUB_REF_TYPE", "branch",
                "GITHUB_REF_NAME", "main",
                "GITHUB_REPOSITORY", "acme/op-dbus-deploy",
                "OPDEPLOY_PAYLOAD_REPOSITORY", "acme/operation-dbus",
                "OPDEPLOY_PAYLOAD_TAG", "v2.4.0",
                "OPDEPLOY_PAYLOAD_COMMIT", "2".repeat(40)),
            folder);
    assertThat(source)
        .isEqualTo(
            new BuildSource(
                "1".repeat(40),
                null,
                "acme/op-dbus-deploy",
                new Manifest.PayloadSource("acme/operation-dbus", "v2.4.0", "2".repeat(40))));
  }

  @Test
  void aTagPushOfTheDeploymentRepositoryWithoutPayloadVariablesHasNoPayloadSource() {
    BuildSource source =
        BuildSource.detect(
            Map.of(
                "GITHUB_SHA", "1".repeat(40),
                "GITHUB_REF_TYPE", "tag",
                "GITHUB_REF_NAME", "v1.0.0",
                "OPDEPLOY_PAYLOAD_TAG", " "),
            folder);
    assertThat(source).isEqualTo(new BuildSource("1".repeat(40), "v1.0.0", null, null));
  }
}
