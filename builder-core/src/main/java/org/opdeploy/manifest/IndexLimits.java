package org.opdeploy.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.error.VerificationException;

/**
 * Fixed caps on the files of a release that are read before (or to establish) trust: SHA256SUMS,
 * its signature and the manifest. A real index is a few KiB; anything beyond its cap is refused
 * (exit 3) without being read whole, so a hostile or broken store cannot exhaust memory before the
 * signature check. The caps are documented in the README's "Security model".
 */
public final class IndexLimits {
  /** SHA256SUMS: one line per asset; 1 MiB is over ten thousand assets. */
  public static final long SHA256SUMS_MAX_BYTES = 1L << 20;

  /** SHA256SUMS.asc: one armored detached signature (a few hundred bytes per signing key). */
  public static final long SIGNATURE_MAX_BYTES = 1L << 20;

  /** NAME-V.manifest.json. */
  public static final long MANIFEST_MAX_BYTES = 4L << 20;

  private IndexLimits() {}

  /**
   * The cap for asset {@code name}, or -1 when it is not an index file (streams are bounded
   * otherwise).
   */
  public static long maxBytes(String name) {
    if (name.equals(AssetNames.SHA256SUMS)) {
      return SHA256SUMS_MAX_BYTES;
    }
    if (name.equals(AssetNames.SHA256SUMS_SIGNATURE)) {
      return SIGNATURE_MAX_BYTES;
    }
    if (name.endsWith(".manifest.json")) {
      return MANIFEST_MAX_BYTES;
    }
    return -1;
  }

  /**
   * Fails with exit 3 when {@code size} bytes exceed the cap of {@code name} ({@code origin} names
   * where).
   */
  public static void requireWithin(String name, long size, String origin)
      throws VerificationException {
    long cap = maxBytes(name);
    if (cap >= 0 && size > cap) {
      throw oversize(name, origin, size > cap + 1 ? Long.toString(size) : "more than " + cap, cap);
    }
  }

  /**
   * Reads index file {@code file} whole, refusing it (exit 3) past its cap without reading further.
   */
  public static byte[] read(Path file) throws OpdeployException {
    String name = file.getFileName().toString();
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, name, file.toString());
    } catch (NoSuchFileException e) {
      throw new VerificationException(
          name + " is missing from " + file.getParent() + ": the release is not sealed");
    } catch (IOException e) {
      throw new OpdeployException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads {@code in} to its end, at most one byte past the cap of {@code name}. */
  public static byte[] read(InputStream in, String name, String origin)
      throws IOException, VerificationException {
    long cap = maxBytes(name);
    if (cap < 0) {
      throw new IllegalArgumentException(name + " is not an index file");
    }
    byte[] bytes = in.readNBytes((int) cap + 1);
    if (bytes.length > cap) {
      throw oversize(name, origin, "more than " + cap, cap);
    }
    return bytes;
  }

  private static VerificationException oversize(String name, String origin, String size, long cap) {
    return new VerificationException(
        name
            + " at "
            + origin
            + " is "
            + size
            + " bytes, over the "
            + cap
            + "-byte limit for it: refusing to read it (a release index is a few KiB; the store is broken or hostile)");
  }
}
