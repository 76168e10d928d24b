package org.opdeploy.seal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;

/**
 * Reads the OpenPGP objects of a file that may hold several armored blocks one after another (a
 * trusted-keys file with keys appended by {@code cat}) or plain binary packets.
 */
final class OpenPgpPackets {
  private static final String ARMOR_BEGIN = "-----BEGIN PGP ";
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private OpenPgpPackets() {}

  static List<Object> read(byte[] data) throws IOException, PGPException {
    List<Object> objects = new ArrayList<>();
    String text = new String(data, StandardCharsets.ISO_8859_1);
    if (!text.contains(ARMOR_BEGIN)) {
      readBinary(new ByteArrayInputStream(data), objects);
      return objects;
    }
    int start = text.indexOf(ARMOR_BEGIN);
    while (start >= 0) {
      int next = text.indexOf(ARMOR_BEGIN, start + ARMOR_BEGIN.length());
      int end = next < 0 ? data.length : next;
      try (InputStream block =
          new ArmoredInputStream(new ByteArrayInputStream(data, start, end - start))) {
        readBinary(block, objects);
      }
      start = next;
    }
    return objects;
  }

  private static void readBinary(InputStream in, List<Object> objects)
      throws IOException, PGPException {
    BcPGPObjectFactory factory = new BcPGPObjectFactory(in);
    for (Object o = factory.nextObject(); o != null; o = factory.nextObject()) {
      if (o instanceof PGPCompressedData compressed) {
        readBinary(compressed.getDataStream(), objects);
      } else {
        objects.add(o);
      }
    }
  }

  /** ASCII armor without the library's version header, so output does not depend on it. */
  static String armor(byte[] packets) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ArmoredOutputStream armored = ArmoredOutputStream.builder().clearHeaders().build(out)) {
      armored.write(packets);
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  static String hex(byte[] fingerprint) {
    return HEX.formatHex(fingerprint);
  }

  static String keyId(long keyId) {
    return String.format("%016X", keyId);
  }
}
