package org.opdeploy.golden;

import java.nio.file.Path;

/**
 * How the golden subvolume is first filled when it does not exist yet. Exactly one kind per spec;
 * later refreshes never touch the base again.
 */
public sealed interface BaseSpec {

  /** A short description for logs: {@code debootstrap bookworm (minbase)}. */
  String describe();

  /** {@code debootstrap --variant=VARIANT SUITE golden MIRROR}; a null mirror means the host's. */
  record Debootstrap(String suite, String variant, String mirror) implements BaseSpec {
    @Override
    public String describe() {
      return "debootstrap "
          + suite
          + " ("
          + variant
          + ")"
          + (mirror == null ? "" : " from " + mirror);
    }
  }

  /** A copy of an existing tree, owners, modes, symlinks and xattrs preserved. */
  record Directory(Path path) implements BaseSpec {
    @Override
    public String describe() {
      return "copy of " + path;
    }
  }

  /** A tar archive (any compression tar recognises), numeric owners and xattrs preserved. */
  record Tarball(Path path) implements BaseSpec {
    @Override
    public String describe() {
      return "tarball " + path;
    }
  }

  /** An empty subvolume: the steps or the rootfs overlay bring everything. */
  record Empty() implements BaseSpec {
    @Override
    public String describe() {
      return "empty subvolume";
    }
  }
}
