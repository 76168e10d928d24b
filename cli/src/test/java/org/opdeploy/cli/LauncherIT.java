package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.process.ProcessResult;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;

/**
 * The ./opdeploy launcher under sudo (as workflows run it, root with SUDO_USER): it never builds,
 * runs the JDK of JAVA_HOME (sudo resets PATH), and leaves no root-owned file in a checkout owned
 * by someone else. Runs a copy of the launcher in a throw-away checkout; needs root, like the other
 * ITs.
 */
class LauncherIT {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  @TempDir Path checkout;
  Path tools;

  @BeforeEach
  void copyLauncher() throws Exception {
    Files.copy(REPO.resolve("opdeploy"), checkout.resolve("opdeploy"));
    FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    Files.createDirectories(checkout.resolve("cli/src/main"));
    for (String pom : new String[] {"pom.xml", "cli/pom.xml"}) {
      Files.setLastModifiedTime(Files.writeString(checkout.resolve(pom), "<project/>\n"), old);
    }
    Files.setLastModifiedTime(checkout.resolve("cli/src/main"), old);
    tools = Files.createDirectories(checkout.resolve("tools"));
    // A build under sudo, or a java found on PATH, would show up in these logs.
    tool("mvn", "echo mvn >> " + checkout.resolve("calls.log"), "exit 97");
    tool("java", "echo path-java >> " + checkout.resolve("calls.log"), "exit 98");
  }

  private void tool(String name, String... lines) throws Exception {
    Path file = tools.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + String.join("\n", lines) + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private ProcessResult launch(Map<String, String> extra) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", tools + ":" + System.getenv("PATH"));
    env.put("HOME", checkout.toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.putAll(extra);
    return new ProcessRunner()
        .runAllowingFailure(
            ProcessSpec.of("bash", checkout.resolve("opdeploy").toString(), "--version")
                .withEnvironment(env)
                .withMergedStderr());
  }

  @Test
  void underSudoAMissingJarIsNotBuiltAndTheMessageSaysWhatToRunFirst() throws Exception {
    ProcessResult run = launch(Map.of("SUDO_USER", "runner"));
    assertThat(run.exitCode()).as(run.stdout()).isEqualTo(2);
    assertThat(run.stdout())
        .contains("does not build under sudo")
        .contains("run ./opdeploy --version as runner first");
    assertThat(checkout.resolve("calls.log")).doesNotExist();
    assertThat(checkout.resolve("cli/target")).doesNotExist();
  }

  @Test
  void underSudoABuiltJarRunsWithJavaHomesJdkAndWritesNothingIntoAnotherUsersCheckout()
      throws Exception {
    Path target = Files.createDirectories(checkout.resolve("cli/target"));
    Files.copy(
        REPO.resolve("cli/target/opdeploy.jar"),
        target.resolve("opdeploy.jar"),
        StandardCopyOption.COPY_ATTRIBUTES);
    Files.setLastModifiedTime(target.resolve("opdeploy.jar"), FileTime.from(Instant.now()));
    new ProcessRunner()
        .run(ProcessSpec.of("chown", "-R", "65534:65534", checkout.resolve("cli").toString()));

    ProcessResult run = launch(Map.of("SUDO_USER", "runner"));

    assertThat(run.exitCode()).as(run.stdout()).isZero();
    assertThat(run.stdout()).startsWith("opdeploy ");
    assertThat(checkout.resolve("calls.log")).doesNotExist();
    try (var files = Files.list(target)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("opdeploy.jar");
    }
  }
}
