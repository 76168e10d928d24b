package org.opdeploy.hash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one place that creates SHA-256 digests and writes them as text: lowercase hex, as {@code
 * sha256sum}, {@code SHA256SUMS} and the manifest write them. The JDK's provider uses the CPU's SHA
 * instructions where present; callers feed it large buffers and never copy for it.
 */
public final class Sha256 {
  private static final HexFormat HEX = HexFormat.of();

  private Sha256() {}

  /** A fresh SHA-256 digest. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Completes {@code digest} (which is reset for reuse) and returns its lowercase hex. */
  public static String hex(MessageDigest digest) {
    return HEX.formatHex(digest.digest());
  }

  /** The lowercase hex of {@code bytes}. */
  public static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /** The hex SHA-256 of {@code bytes}. */
  public static String of(byte[] bytes) {
    return hex(newDigest().digest(bytes));
  }

  /** The hex SHA-256 of the {@code length} bytes of {@code bytes} from {@code offset}. */
  public static String of(byte[] bytes, int offset, int length) {
    MessageDigest digest = newDigest();
    digest.update(bytes, offset, length);
    return hex(digest);
  }

  /** The hex SHA-256 of {@code text} in UTF-8. */
  public static String of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The hex SHA-256 of a whole file, read once (see {@link FileDigests#sha256(Path,
   * java.util.function.LongConsumer)}).
   */
  public static String ofFile(Path file) throws IOException {
    return FileDigests.sha256(file, bytes -> {});
  }

  /**
   * True when two hex digests name the same bytes: case does not matter ({@code sha256sum} writes
   * lowercase, some servers uppercase); a missing one matches nothing.
   */
  public static boolean same(String expected, String actual) {
    return expected != null && actual != null && expected.equalsIgnoreCase(actual);
  }
}
