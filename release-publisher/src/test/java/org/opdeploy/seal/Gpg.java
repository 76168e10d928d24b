package org.opdeploy.seal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opdeploy.process.ProcessResult;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;
import org.opdeploy.testing.HostRequirements;

/** Real gpg in a throw-away GNUPGHOME: the independent peer our signatures must satisfy. */
final class Gpg implements AutoCloseable {
  private final Path home;
  private final ProcessRunner runner = new ProcessRunner();

  Gpg() throws Exception {
    HostRequirements.requireProgram("gpg", "gnupg");
    HostRequirements.requireProgram("gpgconf", "gnupg");
    home = Files.createTempDirectory("gpg");
    Files.setPosixFilePermissions(
        home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
  }

  ProcessResult run(String... args) throws Exception {
    ProcessResult result = runAllowingFailure(args);
    if (result.exitCode() != 0) {
      throw new AssertionError(
          "gpg "
              + String.join(" ", args)
              + " exited "
              + result.exitCode()
              + ": "
              + result.stderrTail());
    }
    return result;
  }

  ProcessResult runAllowingFailure(String... args) throws Exception {
    List<String> argv =
        new ArrayList<>(
            List.of("gpg", "--batch", "--yes", "--no-tty", "--pinentry-mode", "loopback"));
    argv.addAll(List.of(args));
    return runner.runAllowingFailure(
        ProcessSpec.of(argv).withEnvironment(Map.of("GNUPGHOME", home.toString())));
  }

  /** Fingerprints of the keys matching {@code who}: primary first, then subkeys, in gpg's order. */
  List<String> fingerprints(String who) throws Exception {
    return run("--with-colons", "--list-keys", who)
        .stdout()
        .lines()
        .filter(l -> l.startsWith("fpr:"))
        .map(l -> l.split(":")[9])
        .toList();
  }

  String export(String who) throws Exception {
    return run("--armor", "--export", who).stdout();
  }

  Path home() {
    return home;
  }

  @Override
  public void close() throws Exception {
    runner.runAllowingFailure(
        ProcessSpec.of("gpgconf", "--kill", "all")
            .withEnvironment(Map.of("GNUPGHOME", home.toString())));
    try (var walk = Files.walk(home)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
