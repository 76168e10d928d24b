package org.opdeploy.deploy.activate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.io.FileTrees;

/**
 * {@code <root>/current}: a symlink to the active deployment. It is switched by creating the new
 * link beside it and renaming it over the old one, so a reader sees the old or the new version,
 * never none. The link is relative ({@code deploy/@NAME-V}) so the root can be moved.
 */
public final class CurrentLink {
  private final Path link;
  private final Path temp;

  /** {@code temp}: the sibling the new link is made as before it is renamed over {@code link}. */
  public CurrentLink(Path link, Path temp) {
    this.link = link;
    this.temp = temp;
  }

  public void pointTo(Path deployment) throws OpdeployException {
    try {
      Files.deleteIfExists(temp);
      Files.createSymbolicLink(temp, link.getParent().relativize(deployment));
      Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      FileTrees.syncDirectory(link.getParent());
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot switch " + link + " to " + deployment + ": " + e.getMessage(), e);
    }
  }

  /** Where the link points (absolute), if it exists. */
  public Optional<Path> target() throws OpdeployException {
    if (!Files.isSymbolicLink(link)) {
      return Optional.empty();
    }
    try {
      return Optional.of(link.getParent().resolve(Files.readSymbolicLink(link)).normalize());
    } catch (IOException e) {
      throw new OpdeployException("cannot read " + link + ": " + e.getMessage(), e);
    }
  }
}
