package org.opdeploy.deploy.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;

/**
 * The service's user on the target. systemd resolves {@code User=} on the host, before it enters
 * the deployment's root, so the user the golden defines must exist on the host too, with the same
 * uid so that the files it owns in the deployment are its own. A user the host lacks is created as
 * a system user with the golden's uid; a user neither defines is refused before anything switches.
 */
final class ServiceUsers {
  private final ProcessRunner runner;

  ServiceUsers(ProcessRunner runner) {
    this.runner = runner;
  }

  /** Makes sure {@code user} exists on the host; creates it from the deployment's passwd entry. */
  void ensure(String user, Path deployment) throws OpdeployException {
    if (runner.runAllowingFailure(ProcessSpec.of("getent", "passwd", user)).exitCode() == 0) {
      return;
    }
    String uid =
        uidIn(deployment.resolve("etc/passwd"), user)
            .orElseThrow(
                () ->
                    new BadInputException(
                        "unknown user '"
                            + user
                            + "': the release's service account names a user neither this target nor the"
                            + " deployment's /etc/passwd defines; fix the golden (create the user in a step)"));
    runner.run(
        "useradd",
        "--system",
        "--no-create-home",
        "--home-dir",
        "/nonexistent",
        "--shell",
        "/usr/sbin/nologin",
        "--uid",
        uid,
        user);
  }

  private static Optional<String> uidIn(Path passwd, String user) throws OpdeployException {
    if (!Files.isRegularFile(passwd)) {
      return Optional.empty();
    }
    try {
      return Files.readAllLines(passwd).stream()
          .map(line -> line.split(":", -1))
          .filter(
              fields ->
                  fields.length >= 3 && fields[0].equals(user) && fields[2].matches("[0-9]{1,9}"))
          .map(fields -> fields[2])
          .findFirst();
    } catch (IOException e) {
      throw new OpdeployException("cannot read " + passwd + ": " + e.getMessage(), e);
    }
  }
}
