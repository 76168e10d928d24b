package org.opdeploy.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.AssetNames;

/**
 * Puts opdeploy's Debian package into a release folder before it is sealed, so that SHA256SUMS and
 * its signature cover it and a target installs opdeploy from the same signed release it deploys
 * from (dpkg reads the version from the package, not its file name). When the folder was already
 * sealed without it (or with other bytes), the old SHA256SUMS and signature are removed: they no
 * longer describe the folder, and the seal that follows writes new ones.
 */
public final class AttachInstallerStep {
  private final Path installer;

  public AttachInstallerStep(Path installer) {
    this.installer = installer;
  }

  /** Copies the package into {@code dir}; returns whether the folder changed. */
  public boolean run(Path dir, boolean canSign) throws OpdeployException {
    String name = installer.getFileName().toString();
    if (!name.matches("opdeploy_[0-9][A-Za-z0-9.+~]*_(all|amd64|arm64)\\.deb")) {
      throw new BadInputException(
          "installer " + installer + " is not named opdeploy_VERSION_all.deb");
    }
    // GitHub renames asset files with other characters than these (a snapshot's "~", a "+"): the
    // release holds the package under the name GitHub would give it, which SHA256SUMS then lists.
    name = AssetNames.checkFileName(name.replaceAll("[^A-Za-z0-9._-]", "."));
    if (!Files.isRegularFile(installer, LinkOption.NOFOLLOW_LINKS)) {
      throw new BadInputException(
          "installer "
              + installer
              + " does not exist: build it with"
              + " `mvn -DskipTests package`, or pass --installer none");
    }
    Path target = dir.resolve(name);
    try {
      if (Files.isRegularFile(target) && Files.mismatch(installer, target) == -1) {
        return false;
      }
      boolean sealed = Files.exists(dir.resolve(AssetNames.SHA256SUMS_SIGNATURE));
      if (sealed && !canSign) {
        throw new BadInputException(
            dir
                + " is signed without "
                + name
                + ": re-signing it with the"
                + " installer needs OPDEPLOY_SIGNING_KEY; or pass --installer none");
      }
      Path partial = dir.resolve("." + name + ".partial");
      Files.copy(installer, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(
          partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Files.deleteIfExists(dir.resolve(AssetNames.SHA256SUMS_SIGNATURE));
      Files.deleteIfExists(dir.resolve(AssetNames.SHA256SUMS));
      return true;
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot attach " + installer + " to " + dir + ": " + e.getMessage(), e);
    }
  }
}
