package org.opdeploy.manifest;

import org.opdeploy.error.BadInputException;

/** How a stream is stored: zstd (at a level) or as sent. */
public record Compression(String algorithm, int level) {
  public static final Compression NONE = new Compression("none", 0);
  public static final int DEFAULT_ZSTD_LEVEL = 3;

  public static Compression zstd(int level) {
    return new Compression("zstd", level);
  }

  /** Parses {@code zstd}, {@code zstd:19}, {@code none}. */
  public static Compression parse(String text) throws BadInputException {
    if (text == null || text.equals("zstd")) {
      return zstd(DEFAULT_ZSTD_LEVEL);
    }
    if (text.equals("none")) {
      return NONE;
    }
    if (text.matches("zstd:(-?[0-9]{1,2})")) {
      int level = Integer.parseInt(text.substring(5));
      if (level >= -7 && level <= 22 && level != 0) {
        return zstd(level);
      }
    }
    throw new BadInputException(
        "invalid compression '" + text + "': use zstd, zstd:LEVEL (1-22) or none");
  }

  public boolean isNone() {
    return algorithm.equals("none");
  }

  /** The file-name suffix after {@code .send}. */
  public String suffix() {
    return isNone() ? "" : ".zst";
  }

  @Override
  public String toString() {
    return isNone() ? "none" : "zstd:" + level;
  }
}
