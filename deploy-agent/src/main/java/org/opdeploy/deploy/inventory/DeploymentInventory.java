package org.opdeploy.deploy.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.opdeploy.btrfs.Btrfs;
import org.opdeploy.deploy.layout.TargetLayout;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.version.Version;

/**
 * The deployments present on a target. Parents of incremental streams are matched by received uuid,
 * never by folder name: a folder can be renamed or recreated, the uuid cannot lie.
 */
public final class DeploymentInventory {
  private final Btrfs btrfs;
  private final TargetLayout layout;

  public DeploymentInventory(Btrfs btrfs, TargetLayout layout) {
    this.btrfs = btrfs;
    this.layout = layout;
  }

  /** Every {@code @NAME-V} subvolume under {@code deploy/}, oldest version first. */
  public List<Deployment> list() throws OpdeployException {
    List<Deployment> found = new ArrayList<>();
    for (Path path : candidates()) {
      Optional<Version> version = TargetLayout.versionOf(path.getFileName().toString());
      if (version.isPresent() && btrfs.isSubvolume(path)) {
        found.add(new Deployment(version.get(), path, btrfs.show(path)));
      }
    }
    found.sort(Comparator.comparing(Deployment::version));
    return found;
  }

  /** The deployment of {@code version}, if received. */
  public Optional<Deployment> find(Version version) throws OpdeployException {
    for (Path path : candidates()) {
      if (TargetLayout.versionOf(path.getFileName().toString()).filter(version::equals).isPresent()
          && btrfs.isSubvolume(path)) {
        return Optional.of(new Deployment(version, path, btrfs.show(path)));
      }
    }
    return Optional.empty();
  }

  /**
   * The folder of {@code version}'s deployment if it is one, checked without running btrfs (a
   * stat): what activation and rollback use to stay fast.
   */
  public Optional<Path> locate(Version version) throws OpdeployException {
    for (Path path : candidates()) {
      if (TargetLayout.versionOf(path.getFileName().toString()).filter(version::equals).isPresent()
          && btrfs.isSubvolume(path)) {
        return Optional.of(path);
      }
    }
    return Optional.empty();
  }

  /** The deployment whose received uuid is {@code uuid}: what an incremental stream applies to. */
  public Optional<Deployment> findByReceivedUuid(String uuid) throws OpdeployException {
    if (uuid == null || uuid.isEmpty()) {
      return Optional.empty();
    }
    return list().stream()
        .filter(d -> d.subvolume().readOnly() && uuid.equals(d.subvolume().receivedUuid()))
        .findFirst();
  }

  /** The deployment folders by version, from their names only: cheap enough for {@code status}. */
  public SortedMap<Version, Path> folders() throws OpdeployException {
    SortedMap<Version, Path> folders = new TreeMap<>();
    for (Path path : candidates()) {
      TargetLayout.versionOf(path.getFileName().toString()).ifPresent(v -> folders.put(v, path));
    }
    return folders;
  }

  /**
   * The payload name the deployments here carry ({@code op-dbus} of {@code @op-dbus-v1.2.0}), empty
   * when there is none.
   */
  public Optional<String> payloadName() throws OpdeployException {
    SortedMap<Version, Path> folders = folders();
    if (folders.isEmpty()) {
      return Optional.empty();
    }
    String folder = folders.get(folders.lastKey()).getFileName().toString();
    return Optional.of(
        folder.substring(1, folder.length() - folders.lastKey().toString().length() - 1));
  }

  private List<Path> candidates() throws OpdeployException {
    Path dir = layout.deployments();
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      // A subvolume still journalled in .staging is being received or checked: not a deployment.
      return entries
          .filter(p -> p.getFileName().toString().startsWith("@"))
          .filter(p -> !StagingArea.inFlight(layout.staging(), p.getFileName().toString()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new OpdeployException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}
