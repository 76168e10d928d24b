package org.opdeploy.deploy.prepare;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.opdeploy.deploy.layout.TargetLayout;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressListener;

/**
 * Moves a target root from the old default {@code /var/lib/op-dbus} (op-dbus's own data folder,
 * which its service sees) to {@code /var/lib/opdeploy}. The folder is renamed as a whole, so the
 * read-only deployments inside it move with it untouched and mounts of them stay valid; then a
 * fresh data folder is created at the old place and whatever the payload wrote into the old root
 * (anything that is not opdeploy's) is moved back into it. Systemd unit links pointing into the old
 * root are repointed. Runs once: only when the new root does not exist and the old one holds an
 * opdeploy {@code state.json} or {@code deploy/} folder.
 */
public final class MigrateLegacyRootStep {
  /** What opdeploy keeps under a root; everything else there belongs to the payload. */
  private static final Set<String> OPDEPLOY_ENTRIES =
      Set.of(
          "cache",
          "deploy",
          "current",
          "overlays",
          "state.json",
          "state.json.tmp",
          "audit.log",
          ".lock",
          ".current.new");

  private final Path legacy;
  private final Path root;
  private final Path unitDirectory;
  private final ProgressListener progress;

  public MigrateLegacyRootStep(
      Path legacy, Path root, Path unitDirectory, ProgressListener progress) {
    this.legacy = legacy;
    this.root = root;
    this.unitDirectory = unitDirectory;
    this.progress = progress;
  }

  /** Migrates when needed; returns whether it did. */
  public boolean run() throws OpdeployException {
    if (Files.exists(root, LinkOption.NOFOLLOW_LINKS) || !isOpdeployRoot(legacy)) {
      return false;
    }
    try {
      Files.createDirectories(root.getParent());
      Files.move(legacy, root);
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot move the target root "
              + legacy
              + " to "
              + root
              + " ("
              + e.getMessage()
              + "): move it by hand, or keep it with 'root: "
              + legacy
              + "' in /etc/opdeploy/opdeploy.yaml",
          e);
    }
    try {
      Files.createDirectory(
          legacy,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
      List<String> moved = new ArrayList<>();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
        for (Path entry : entries) {
          String name = entry.getFileName().toString();
          if (!OPDEPLOY_ENTRIES.contains(name)) {
            Files.move(entry, legacy.resolve(name));
            moved.add(name);
          }
        }
      }
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
      repointUnitLinks();
      progress.warn(
          "moved the target root from "
              + legacy
              + " to "
              + root
              + " (op-dbus's data folder is "
              + legacy
              + " again"
              + (moved.isEmpty() ? "" : ", with " + String.join(", ", moved))
              + ")");
    } catch (IOException e) {
      throw new OpdeployException(
          "moved the target root to "
              + root
              + " but could not lay out "
              + legacy
              + ": "
              + e.getMessage(),
          e);
    }
    return true;
  }

  private static boolean isOpdeployRoot(Path folder) {
    return Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
        && (Files.isRegularFile(new TargetLayout(folder).stateFile())
            || Files.isDirectory(new TargetLayout(folder).deployments()));
  }

  /** Unit links (opdeploy links the deployment's unit into the unit folder) follow the move. */
  private void repointUnitLinks() throws IOException {
    if (!Files.isDirectory(unitDirectory)) {
      return;
    }
    try (DirectoryStream<Path> units = Files.newDirectoryStream(unitDirectory)) {
      for (Path unit : units) {
        if (Files.isSymbolicLink(unit)) {
          Path target = Files.readSymbolicLink(unit);
          if (target.isAbsolute()
              && target.startsWith(legacy.resolve(TargetLayout.DEPLOY_FOLDER))) {
            Path temp = unit.resolveSibling("." + unit.getFileName() + ".opdeploy");
            Files.deleteIfExists(temp);
            Files.createSymbolicLink(temp, root.resolve(legacy.relativize(target)));
            Files.move(
                temp,
                unit,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    }
  }
}
