package org.opdeploy.btrfs;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opdeploy.error.BadInputException;

/**
 * The {@code btrfs send} protocol a release is sent with (build setting {@code send-protocol}), and
 * whether file extents travel compressed as they are on disk ({@code --compressed-data}, protocol 2
 * only). Protocol 1 is the default: every btrfs-progs receives it, Debian 11's 5.10 and Ubuntu
 * 22.04's 5.16 included. Protocol 2 needs btrfs-progs 6.0 on the receiving side too ({@code
 * btrfs-send(8)}).
 */
public record SendProtocol(int version, boolean compressedData) {
  public static final SendProtocol DEFAULT = new SendProtocol(1, false);

  /** The first btrfs-progs that receives protocol 2 streams ({@code btrfs-send(8)}). */
  static final int[] PROGS_RECEIVING_V2 = {6, 0};

  private static final Pattern PROGS_VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)");

  /**
   * The setting as a user gives it.
   *
   * @param text {@code 1} or {@code 2}; null means the default, 1
   * @throws BadInputException (exit 2) for another protocol, or compressed data without protocol 2
   */
  public static SendProtocol parse(String text, boolean compressedData) throws BadInputException {
    int version;
    if (text == null) {
      version = 1;
    } else if (text.strip().equals("1") || text.strip().equals("2")) {
      version = Integer.parseInt(text.strip());
    } else {
      throw new BadInputException(
          "invalid send protocol '"
              + text
              + "': use 1 (every target receives it) or 2 (needs btrfs-progs 6.0 on the targets)");
    }
    if (compressedData && version != 2) {
      throw new BadInputException(
          "--compressed-data needs send-protocol 2 (protocol 1 cannot carry"
              + " compressed extents): add --send-protocol 2, which targets with btrfs-progs older than 6.0"
              + " cannot receive");
    }
    return new SendProtocol(version, compressedData);
  }

  /**
   * The highest protocol a {@code btrfs receive} of this btrfs-progs version accepts, from the
   * output of {@code btrfs --version} ("btrfs-progs v5.10.1"); 1 when it cannot be read.
   */
  public static int receivableBy(String progsVersion) {
    Matcher m = PROGS_VERSION.matcher(progsVersion == null ? "" : progsVersion);
    if (!m.find()) {
      return 1;
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    boolean v2 =
        major != PROGS_RECEIVING_V2[0]
            ? major > PROGS_RECEIVING_V2[0]
            : minor >= PROGS_RECEIVING_V2[1];
    return v2 ? 2 : 1;
  }

  @Override
  public String toString() {
    return "send protocol " + version + (compressedData ? " with compressed data" : "");
  }
}
