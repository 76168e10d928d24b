package org.opdeploy.btrfs;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code btrfs subvolume show} says of one subvolume. Absent uuids ("-") are empty strings.
 */
public record SubvolumeInfo(
    Path path,
    String uuid,
    String parentUuid,
    String receivedUuid,
    boolean readOnly,
    long generation) {

  public Optional<String> received() {
    return receivedUuid.isEmpty() ? Optional.empty() : Optional.of(receivedUuid);
  }

  public Optional<String> parent() {
    return parentUuid.isEmpty() ? Optional.empty() : Optional.of(parentUuid);
  }
}
