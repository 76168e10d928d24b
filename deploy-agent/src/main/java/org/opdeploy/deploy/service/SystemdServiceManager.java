package org.opdeploy.deploy.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.manifest.ServiceAccount;
import org.opdeploy.process.ProcessResult;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;
import org.opdeploy.version.Version;

/**
 * {@code service: systemd}. The unit file shipped in the deployment is linked into {@code
 * /etc/systemd/system} (a symlink replaced by atomic rename, so the unit always points at one whole
 * version), then {@code systemctl daemon-reload}, {@code enable} (so it starts at boot, after
 * {@code opdeploy-boot.service} has mounted it), {@code restart} and {@code is-active}, all through
 * the shared {@link ProcessRunner}.
 *
 * <p>The deployment is a whole root filesystem, so the unit's {@code ExecStart} paths only exist
 * inside it: a drop-in {@code <unit>.d/50-opdeploy.conf} ({@link ServiceSandbox}) sets {@code
 * RootDirectory=} to the active deployment's writable overlay, its data folder, host binds and
 * service account. Health checks run in a transient unit with the same sandbox ({@code systemd-run
 * --wait --pipe}), never as root on the host.
 */
public final class SystemdServiceManager implements ServiceManager {
  public static final Path DEFAULT_UNIT_DIRECTORY = Path.of("/etc/systemd/system");

  /** Where packages ship units, searched in this order inside the deployment. */
  private static final List<String> UNIT_FOLDERS =
      List.of("etc/systemd/system", "usr/lib/systemd/system", "lib/systemd/system");

  static final String DROP_IN = "50-opdeploy.conf";

  private final ProcessRunner runner;
  private final Path unitDirectory;
  private final Path rootDirectory;

  /**
   * {@code rootDirectory}: where the service's root is (the overlay setting), or null to run on the
   * host's.
   */
  public SystemdServiceManager(ProcessRunner runner, Path unitDirectory, Path rootDirectory) {
    this.runner = runner;
    this.unitDirectory = unitDirectory;
    this.rootDirectory = rootDirectory;
  }

  public SystemdServiceManager(ProcessRunner runner, Path rootDirectory) {
    this(runner, DEFAULT_UNIT_DIRECTORY, rootDirectory);
  }

  @Override
  public void prepare(Manifest manifest, Path deployment) throws OpdeployException {
    checkUnitName(manifest.service());
    findUnit(manifest.service(), deployment);
    if (manifest.serviceAccount() != null) {
      ServiceAccount account = manifest.serviceAccount().checked("the manifest's service_account");
      if (account.user() != null) {
        new ServiceUsers(runner).ensure(account.user(), deployment);
      }
    }
  }

  @Override
  public void install(Manifest manifest, Path deployment) throws OpdeployException {
    String unit = manifest.service();
    checkUnitName(unit);
    Path shipped = findUnit(unit, deployment);
    Path link = unitDirectory.resolve(unit);
    Path temp = unitDirectory.resolve("." + unit + ".opdeploy");
    try {
      if (Files.exists(link, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(link)) {
        throw new OpdeployException(
            link
                + " is a regular file, not opdeploy's link: move it away so the"
                + " deployment's unit can be linked");
      }
      Files.createDirectories(unitDirectory);
      Files.deleteIfExists(temp);
      Files.createSymbolicLink(temp, shipped);
      Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      writeDropIn(unit, manifest);
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot link " + unit + " into " + unitDirectory + ": " + e.getMessage(), e);
    }
    runner.run("systemctl", "daemon-reload");
    runner.run("systemctl", "enable", "--quiet", unit);
  }

  @Override
  public void startWithoutWaiting(String unit) throws OpdeployException {
    checkUnitName(unit);
    runner.run("systemctl", "start", "--no-block", unit);
  }

  /**
   * The health command in a transient unit: {@code systemd-run --wait --pipe} with the service's
   * root, account and binds (see {@link ServiceSandbox#healthProperties()}), so it probes the
   * version the way the service sees the machine and can do no more than the service could.
   */
  @Override
  public ProcessSpec healthCheck(
      Manifest manifest, String command, Version version, Path mount, Duration timeout) {
    if (rootDirectory == null) {
      return ServiceManager.super.healthCheck(manifest, command, version, mount, timeout);
    }
    List<String> argv =
        new ArrayList<>(
            List.of(
                "systemd-run",
                "--wait",
                "--pipe",
                "--quiet",
                "--collect",
                "--service-type=exec",
                "--unit=opdeploy-health-" + manifest.name() + "-" + System.nanoTime(),
                "-p",
                "RuntimeMaxSec=" + Math.max(1, timeout.toSeconds()),
                "-E",
                "OPDEPLOY_VERSION=" + version,
                "-E",
                "OPDEPLOY_DEPLOYMENT=/"));
    for (String property : sandbox(manifest).healthProperties()) {
      argv.add("-p");
      argv.add(property);
    }
    argv.addAll(List.of("/bin/sh", "-c", command));
    return ProcessSpec.of(argv.toArray(String[]::new))
        .withTimeout(timeout.plusSeconds(5))
        .withMergedStderr();
  }

  private ServiceSandbox sandbox(Manifest manifest) {
    return new ServiceSandbox(
        rootDirectory.toAbsolutePath().normalize(), manifest.name(), manifest.serviceAccount());
  }

  @Override
  public void restart(String unit) throws OpdeployException {
    checkUnitName(unit);
    runner.run("systemctl", "restart", unit);
  }

  @Override
  public boolean isActive(String unit) throws OpdeployException {
    checkUnitName(unit);
    ProcessResult result =
        runner.runAllowingFailure(ProcessSpec.of("systemctl", "is-active", "--quiet", unit));
    return result.exitCode() == 0;
  }

  private void writeDropIn(String unit, Manifest manifest) throws IOException {
    Path folder = unitDirectory.resolve(unit + ".d");
    Path dropIn = folder.resolve(DROP_IN);
    if (rootDirectory == null) {
      Files.deleteIfExists(dropIn);
      return;
    }
    Files.createDirectories(folder);
    Path temp = folder.resolve("." + DROP_IN + ".opdeploy");
    Files.writeString(temp, sandbox(manifest).dropIn(unit));
    Files.move(temp, dropIn, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static Path findUnit(String unit, Path deployment) throws OpdeployException {
    for (String folder : UNIT_FOLDERS) {
      Path candidate = deployment.resolve(folder).resolve(unit);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new OpdeployException(
        deployment
            + " ships no "
            + unit
            + " (looked in "
            + String.join(", ", UNIT_FOLDERS)
            + "): add it to the golden rootfs or set service: none");
  }

  private static void checkUnitName(String unit) throws BadInputException {
    if (unit == null
        || !unit.matches("[A-Za-z0-9:_.@-]+\\.(service|socket|timer|target)")
        || unit.startsWith(".")) {
      throw new BadInputException("invalid systemd unit name '" + unit + "' in the manifest");
    }
  }
}
