package org.opdeploy.store;

import java.nio.file.Path;

/**
 * Makes a file share another's data instead of copying it: a reflink ({@code FICLONE}), where the
 * two files share copy-on-write extents, so a later change to either never shows in the other. A
 * filesystem may refuse (another filesystem, one without reflinks); the caller then copies.
 */
public interface FileClone {
  /** Refuses every clone: the store always copies. */
  FileClone NONE = (source, target) -> false;

  /**
   * Makes {@code target} (replaced when present) a clone of {@code source}; false, with {@code
   * target} removed, when the clone was not possible, whatever the reason.
   */
  boolean cloneFile(Path source, Path target);
}
