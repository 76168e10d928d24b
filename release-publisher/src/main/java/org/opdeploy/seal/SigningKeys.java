package org.opdeploy.seal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.opdeploy.error.BadInputException;

/**
 * Picks the one secret (sub)key to sign with from the keys in OPDEPLOY_SIGNING_KEY: it must hold
 * its secret half (a stub primary from {@code gpg --export-secret-subkeys} does not), be allowed to
 * sign, and be neither expired nor revoked. {@code signing-key-id} pins one when several can.
 */
final class SigningKeys {
  static final String SOURCE = "OPDEPLOY_SIGNING_KEY";

  /** The chosen key with its certificate (public keys of the whole ring). */
  record Choice(PGPSecretKey secretKey, PGPPublicKeyRing certificate) {}

  private SigningKeys() {}

  static List<PGPSecretKeyRing> parse(byte[] material) throws BadInputException {
    List<PGPSecretKeyRing> rings = new ArrayList<>();
    boolean publicOnly = false;
    try {
      for (Object object : OpenPgpPackets.read(material)) {
        if (object instanceof PGPSecretKeyRing ring) {
          rings.add(ring);
        } else if (object instanceof PGPPublicKeyRing) {
          publicOnly = true;
        }
      }
    } catch (IOException | PGPException | RuntimeException e) {
      // The library's message could quote the material; say only what kind of problem it is.
      throw new BadInputException(
          SOURCE
              + " is not an OpenPGP secret key ("
              + e.getClass().getSimpleName()
              + "): export one with gpg --armor --export-secret-subkeys KEYID");
    }
    if (rings.isEmpty()) {
      throw new BadInputException(
          SOURCE
              + (publicOnly ? " holds only a public key" : " holds no secret key")
              + ": export one with gpg --armor --export-secret-subkeys KEYID");
    }
    return rings;
  }

  static Choice choose(List<PGPSecretKeyRing> rings, String pinnedKeyId, Instant now)
      throws BadInputException {
    String pin = normalize(pinnedKeyId);
    List<Choice> usable = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (PGPSecretKeyRing ring : rings) {
      PGPPublicKeyRing certificate = certificate(ring);
      String primaryFingerprint = OpenPgpPackets.hex(certificate.getPublicKey().getFingerprint());
      seen.add(primaryFingerprint);
      boolean ringPinned = pin != null && matches(certificate.getPublicKey(), pin);
      for (Iterator<PGPSecretKey> keys = ring.getSecretKeys(); keys.hasNext(); ) {
        PGPSecretKey key = keys.next();
        if (pin != null && !ringPinned && !matches(key.getPublicKey(), pin)) {
          continue;
        }
        String fingerprint = OpenPgpPackets.hex(key.getPublicKey().getFingerprint());
        String why =
            key.isPrivateKeyEmpty()
                ? "has no secret part here (stub)"
                : KeyStatus.whyNotSigning(certificate, key.getPublicKey(), now);
        if (why == null) {
          usable.add(new Choice(key, certificate));
        } else if (pin != null || !key.isPrivateKeyEmpty()) {
          refused.add(fingerprint + " " + why);
        }
      }
    }
    if (usable.isEmpty()) {
      if (pin != null && refused.isEmpty()) {
        throw new BadInputException(
            "signing-key-id "
                + pinnedKeyId
                + " matches no key in "
                + SOURCE
                + " (it holds "
                + String.join(", ", seen)
                + ")");
      }
      throw new BadInputException(
          "no key in "
              + SOURCE
              + " can sign"
              + (refused.isEmpty() ? "" : ": " + String.join("; ", refused))
              + "; export a valid signing key or pick one with signing-key-id");
    }
    Set<Long> primaries = new LinkedHashSet<>();
    usable.forEach(c -> primaries.add(c.certificate().getPublicKey().getKeyID()));
    if (primaries.size() > 1) {
      List<String> fingerprints =
          usable.stream()
              .map(c -> OpenPgpPackets.hex(c.certificate().getPublicKey().getFingerprint()))
              .distinct()
              .toList();
      throw new BadInputException(
          SOURCE
              + " holds "
              + fingerprints.size()
              + " keys that can sign ("
              + String.join(", ", fingerprints)
              + "): set signing-key-id to the one to use");
    }
    // Within one certificate gpg signs with the newest usable signing (sub)key; do the same.
    return usable.stream()
        .max(Comparator.comparing((Choice c) -> c.secretKey().getPublicKey().getCreationTime()))
        .orElseThrow();
  }

  private static PGPPublicKeyRing certificate(PGPSecretKeyRing ring) {
    List<PGPPublicKey> keys = new ArrayList<>();
    ring.getPublicKeys().forEachRemaining(keys::add);
    return new PGPPublicKeyRing(keys);
  }

  /** Accepts a fingerprint, a long or short key id, with or without 0x and spaces. */
  private static String normalize(String pinned) throws BadInputException {
    if (pinned == null || pinned.isBlank()) {
      return null;
    }
    String hex = pinned.replace(" ", "").toUpperCase(Locale.ROOT);
    hex = hex.startsWith("0X") ? hex.substring(2) : hex;
    if (!hex.matches("[0-9A-F]{8,64}")) {
      throw new BadInputException(
          "signing-key-id '"
              + pinned
              + "' is not a key id or fingerprint: use at least 8 hex digits (gpg --list-keys --keyid-format long)");
    }
    return hex;
  }

  private static boolean matches(PGPPublicKey key, String pin) {
    return OpenPgpPackets.hex(key.getFingerprint()).endsWith(pin)
        || OpenPgpPackets.keyId(key.getKeyID()).endsWith(pin);
  }
}
