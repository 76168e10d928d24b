package org.opdeploy.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10.1: a child process gets an explicit environment, never opdeploy's secrets. */
class ChildEnvironmentTest {
  private static final Map<String, String> PARENT =
      Map.of(
          "PATH", "/usr/sbin:/usr/bin:/sbin:/bin",
          "LANG", "C.UTF-8",
          "LC_TIME", "C",
          "HOME", "/root",
          "GITHUB_TOKEN", "ghp_FAKEtokenChildEnv",
          "OPDEPLOY_SIGNING_KEY", "FAKEkeyChildEnv",
          "OPDEPLOY_SIGNING_PASSPHRASE", "FAKEpassChildEnv",
          "https_proxy", "http://proxy.invalid:3128",
          "SOME_CI_VARIABLE", "anything");

  private String environOfChild(ProcessSpec spec) throws Exception {
    return new ProcessRunner(PARENT).run(spec).stdout().replace('\0', '\n');
  }

  @Test
  void aChildGetsOnlyTheAllowListFromTheParent() throws Exception {
    String environ = environOfChild(ProcessSpec.of("cat", "/proc/self/environ"));

    assertThat(environ.lines().sorted())
        .containsExactly(
            "HOME=/root", "LANG=C.UTF-8", "LC_TIME=C", "PATH=/usr/sbin:/usr/bin:/sbin:/bin");
  }

  @Test
  void variablesACallSetsOrPassesAreAddedButNoSecretEver() throws Exception {
    String environ =
        environOfChild(
            ProcessSpec.of("cat", "/proc/self/environ")
                .withEnvironment(Map.of("OPDEPLOY_VERSION", "v1.0.0"))
                .passing(ChildEnvironment.PROXIES));

    assertThat(environ)
        .contains("OPDEPLOY_VERSION=v1.0.0\n", "https_proxy=http://proxy.invalid:3128\n")
        .doesNotContain("FAKE", "SOME_CI_VARIABLE");
  }

  @Test
  void aCallThatAsksForASecretIsRefusedBeforeAnythingStarts(@TempDir Path dir) {
    Path marker = dir.resolve("ran");
    assertThatThrownBy(
            () ->
                new ProcessRunner(PARENT)
                    .run(
                        ProcessSpec.of("touch", marker.toString()).passing(Set.of("GITHUB_TOKEN"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("GITHUB_TOKEN must never reach a child process (touch)");
    assertThatThrownBy(
            () ->
                new ProcessRunner(PARENT)
                    .run(
                        ProcessSpec.of("touch", marker.toString())
                            .withEnvironment(Map.of("OPDEPLOY_SIGNING_PASSPHRASE", "x"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Files.exists(marker)).isFalse();
  }

  @Test
  void theProgramIsFoundOnTheChildsPathNotTheJvms(@TempDir Path dir) throws Exception {
    Path tool = dir.resolve("opdeploy-test-tool");
    Files.writeString(tool, "#!/bin/sh\necho found on the PATH it was given\n");
    Files.setAttribute(tool, "unix:mode", 0755);
    ProcessRunner runner = new ProcessRunner(Map.of("PATH", dir + ":/usr/bin:/bin"));

    assertThat(runner.run("opdeploy-test-tool").stdout())
        .isEqualTo("found on the PATH it was given\n");
    assertThatThrownBy(
            () -> new ProcessRunner(Map.of("PATH", "/usr/bin:/bin")).run("opdeploy-test-tool"))
        .isInstanceOf(ProgramNotFoundException.class);
  }
}
