package org.opdeploy.btrfs;

import java.nio.file.Path;
import java.util.List;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.process.ProcessSpec;

/** The btrfs operations opdeploy uses. {@link BtrfsCli} runs btrfs-progs; tests may fake it. */
public interface Btrfs {

  /**
   * Fails (exit 2) when {@code path} is missing or not on a mounted btrfs filesystem, with a
   * message naming the path and the setting that chose it ({@code pool}, {@code root}) with its
   * flag, so that it says what to change.
   */
  void requireBtrfs(Path path, String setting) throws OpdeployException;

  void createSubvolume(Path path) throws OpdeployException;

  /** {@code btrfs subvolume snapshot [-r] source target}. */
  void snapshot(Path source, Path target, boolean readOnly) throws OpdeployException;

  SubvolumeInfo show(Path path) throws OpdeployException;

  /** True when {@code path} is the root of a subvolume (not a plain directory). */
  boolean isSubvolume(Path path);

  /** The subvolumes directly inside {@code directory} (by name, not recursive). */
  List<SubvolumeInfo> list(Path directory) throws OpdeployException;

  /** Deletes a subvolume; a read-only one too. */
  void delete(Path path) throws OpdeployException;

  boolean isReadOnly(Path path) throws OpdeployException;

  void setReadOnly(Path path, boolean readOnly) throws OpdeployException;

  /** Runs {@code btrfs send} and hands its stdout to {@code consumer}, which must read it all. */
  void send(SendRequest request, ProcessSpec.StdoutReader consumer) throws OpdeployException;

  /**
   * Writes out everything the filesystem holding {@code path} has in memory and commits it ({@code
   * btrfs filesystem sync}): what was written before is on disk when this returns.
   */
  void sync(Path path) throws OpdeployException;

  /**
   * Runs {@code btrfs receive -C -e directory}, fed by {@code producer}: confined to {@code
   * directory} by chroot, so that no path or symlink in the stream reaches outside it.
   */
  void receive(Path directory, ProcessSpec.StdinWriter producer) throws OpdeployException;

  SendCapabilities capabilities() throws OpdeployException;
}
