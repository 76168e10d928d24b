package org.opdeploy.golden;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.Printable;
import org.opdeploy.manifest.ServiceAccount;

/**
 * A parsed, checked {@code golden.yaml} (DESIGN.md, "Golden spec"). Every path is absolute and
 * every file it names existed when the spec was loaded, so a refresh that starts from a spec does
 * not fail halfway on a typo.
 *
 * @param file the spec file itself
 * @param folder the folder relative paths were resolved against
 * @param name the payload name ({@code op-dbus}), used in subvolume and asset names
 * @param base how to create the golden when it does not exist
 * @param rootfs the overlay tree copied over the golden on every refresh, or null
 * @param payload host files installed on every refresh
 * @param steps provisioning scripts run in order inside the golden
 * @param checks what {@code golden validate} proves
 * @param service the systemd unit the target integrates, or null
 * @param health the target's post-activation health check, or null
 * @param stepTimeout how long one step may run before it is killed
 * @param serviceAccount who the service runs as on targets and what capabilities it keeps, or null
 */
public record GoldenSpec(
    Path file,
    Path folder,
    String name,
    BaseSpec base,
    Path rootfs,
    List<PayloadFile> payload,
    List<Path> steps,
    GoldenChecks checks,
    String service,
    HealthCheck health,
    Duration stepTimeout,
    ServiceAccount serviceAccount) {

  /** The spec file's name inside a spec folder. */
  public static final String FILE_NAME = "golden.yaml";

  public static final Duration DEFAULT_STEP_TIMEOUT = Duration.ofMinutes(60);

  public GoldenSpec {
    payload = List.copyOf(payload);
    steps = List.copyOf(steps);
  }

  /** A spec without a service account. */
  public GoldenSpec(
      Path file,
      Path folder,
      String name,
      BaseSpec base,
      Path rootfs,
      List<PayloadFile> payload,
      List<Path> steps,
      GoldenChecks checks,
      String service,
      HealthCheck health,
      Duration stepTimeout) {
    this(
        file,
        folder,
        name,
        base,
        rootfs,
        payload,
        steps,
        checks,
        service,
        health,
        stepTimeout,
        null);
  }

  /**
   * Loads a spec from a folder holding {@code golden.yaml}, or from the file itself.
   *
   * @param env the environment {@code ${VAR}} in the payload expands from
   * @throws BadInputException (exit 2) when the spec is missing, malformed, has an unknown key,
   *     names a file that does not exist or uses an unset variable
   */
  public static GoldenSpec load(Path specDirOrFile, Map<String, String> env)
      throws BadInputException {
    return new GoldenSpecParser(env, true).parse(specDirOrFile);
  }

  /**
   * Loads a spec for a command that ships or lists what was built (send, list, prune): parsed and
   * checked exactly as {@link #load} does, with the same messages, except that a payload entry
   * using an unset {@code ${VAR}} is left out instead of refused, since only a refresh installs the
   * payload.
   *
   * @return the spec, or empty when there is no {@code golden.yaml} at {@code specDirOrFile}
   * @throws BadInputException (exit 2) on anything else {@link #load} refuses
   */
  public static Optional<GoldenSpec> loadIfPresent(Path specDirOrFile, Map<String, String> env)
      throws BadInputException {
    Path file = Files.isDirectory(specDirOrFile) ? specDirOrFile.resolve(FILE_NAME) : specDirOrFile;
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(new GoldenSpecParser(env, false).parse(specDirOrFile));
  }

  /** The name of a step as users see it: its path relative to the spec folder. */
  public String stepName(Path step) {
    return Printable.of(step.startsWith(folder) ? folder.relativize(step) : step);
  }
}
