package org.opdeploy.deploy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Writes a {@code btrfs send} stream (protocol 1) by hand, command by command, so that tests can
 * build what a real {@code btrfs send} never emits: a symlink pointing out of the subvolume and a
 * file written through it, {@code ..} paths, a subvolume named otherwise than the manifest says.
 * The format (btrfs-progs {@code send.h}): the magic {@code btrfs-stream\0}, a little-endian
 * version, then commands of {@code le32 length, le16 command, le32 crc32c} followed by attributes
 * of {@code le16 type, le16 length, data}; the crc32c (seed 0, no final inversion, as btrfs
 * computes it) covers the command header with its crc field zeroed and the attributes.
 */
final class CraftedStream {
  private static final int SUBVOL = 1;
  private static final int MKFILE = 3;
  private static final int MKDIR = 4;
  private static final int SYMLINK = 8;
  private static final int WRITE = 15;
  private static final int END = 21;
  private static final int A_UUID = 1;
  private static final int A_CTRANSID = 2;
  private static final int A_INO = 3;
  private static final int A_PATH = 15;
  private static final int A_PATH_LINK = 17;
  private static final int A_FILE_OFFSET = 18;
  private static final int A_DATA = 19;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private long nextInode = 257;

  CraftedStream() {
    out.writeBytes("btrfs-stream\0".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(le32(1));
  }

  /** Starts the subvolume {@code name} whose received uuid will be {@code uuid}. */
  CraftedStream subvolume(String name, UUID uuid) {
    ByteBuffer raw = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
    raw.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    return command(
        SUBVOL, attr(A_PATH, text(name)), attr(A_UUID, raw.array()), attr(A_CTRANSID, le64(7)));
  }

  CraftedStream mkdir(String path) {
    return command(MKDIR, attr(A_PATH, text(path)), attr(A_INO, le64(nextInode++)));
  }

  CraftedStream mkfile(String path) {
    return command(MKFILE, attr(A_PATH, text(path)), attr(A_INO, le64(nextInode++)));
  }

  CraftedStream symlink(String path, String target) {
    return command(
        SYMLINK,
        attr(A_PATH, text(path)),
        attr(A_INO, le64(nextInode++)),
        attr(A_PATH_LINK, text(target)));
  }

  /**
   * Writes {@code data} at {@code offset}; one command carries at most 48 KiB, as btrfs send does.
   */
  CraftedStream write(String path, long offset, byte[] data) {
    for (int from = 0; from < data.length; from += 48 * 1024) {
      int to = Math.min(data.length, from + 48 * 1024);
      byte[] slice = java.util.Arrays.copyOfRange(data, from, to);
      command(
          WRITE,
          attr(A_PATH, text(path)),
          attr(A_FILE_OFFSET, le64(offset + from)),
          attr(A_DATA, slice));
    }
    return this;
  }

  CraftedStream end() {
    return command(END);
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  private CraftedStream command(int type, byte[]... attributes) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] attribute : attributes) {
      body.writeBytes(attribute);
    }
    byte[] payload = body.toByteArray();
    ByteBuffer header = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(payload.length).putShort((short) type).putInt(0);
    byte[] all = new byte[10 + payload.length];
    System.arraycopy(header.array(), 0, all, 0, 10);
    System.arraycopy(payload, 0, all, 10, payload.length);
    int crc = crc32c(all);
    ByteBuffer.wrap(all, 6, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(crc);
    out.writeBytes(all);
    return this;
  }

  private static byte[] attr(int type, byte[] data) {
    ByteBuffer buffer = ByteBuffer.allocate(4 + data.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putShort((short) type).putShort((short) data.length).put(data);
    return buffer.array();
  }

  private static byte[] text(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] le32(int value) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
  }

  private static byte[] le64(long value) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
  }

  /**
   * CRC-32C, reflected polynomial 0x82F63B78, seed 0 and no final inversion (btrfs's {@code
   * crc32c(0, …)}).
   */
  static int crc32c(byte[] data) {
    int crc = 0;
    for (byte b : data) {
      crc ^= b & 0xff;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
      }
    }
    return crc;
  }
}
