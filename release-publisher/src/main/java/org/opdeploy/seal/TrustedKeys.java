package org.opdeploy.seal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;

/**
 * The OpenPGP certificates a target trusts to sign releases, read from one file holding one or more
 * public keys (armored blocks one after another, or binary). Only these keys, and the subkeys they
 * bound, can make a signature that {@link SignatureVerifier} accepts.
 */
public final class TrustedKeys {
  private final List<PGPPublicKeyRing> rings;
  private final String origin;

  TrustedKeys(List<PGPPublicKeyRing> rings, String origin) {
    this.rings = List.copyOf(rings);
    this.origin = origin;
  }

  /** Reads the trusted keys file; a missing, unreadable or malformed file is bad input (exit 2). */
  public static TrustedKeys load(Path armoredFile) throws OpdeployException {
    byte[] data;
    try {
      data = Files.readAllBytes(armoredFile);
    } catch (NoSuchFileException e) {
      throw new BadInputException(
          "trusted keys file "
              + armoredFile
              + " does not exist: put the release signer's public key there (gpg --armor --export"
              + " KEYID), or pass --trusted-keys FILE (setting 'trusted-keys')");
    } catch (IOException e) {
      throw new BadInputException(
          "cannot read trusted keys file "
              + armoredFile
              + " ("
              + e.getMessage()
              + "): pass --trusted-keys FILE (setting 'trusted-keys') naming a readable file");
    }
    return parse(data, armoredFile.toString());
  }

  /** Parses public keys; {@code origin} names their source in errors. */
  public static TrustedKeys parse(byte[] armored, String origin) throws BadInputException {
    List<PGPPublicKeyRing> rings = new ArrayList<>();
    try {
      for (Object object : OpenPgpPackets.read(armored)) {
        if (object instanceof PGPPublicKeyRing ring) {
          rings.add(ring);
        } else if (object instanceof PGPSecretKeyRing) {
          throw new BadInputException(
              origin
                  + " holds a secret key: trust only the public key"
                  + " (gpg --armor --export KEYID) and keep the secret key on the build host");
        }
      }
    } catch (IOException | PGPException | RuntimeException e) {
      throw new BadInputException(origin + " is not an OpenPGP public key file: " + e.getMessage());
    }
    if (rings.isEmpty()) {
      throw new BadInputException(
          origin + " holds no OpenPGP public key: export one with gpg --armor --export KEYID");
    }
    return new TrustedKeys(rings, origin);
  }

  /** The primary key fingerprints, uppercase hex, in file order. */
  public List<String> fingerprints() {
    return rings.stream().map(r -> OpenPgpPackets.hex(r.getPublicKey().getFingerprint())).toList();
  }

  /** Where the keys came from, for messages. */
  public String origin() {
    return origin;
  }

  /** The certificates as armored text, e.g. to write a trusted keys file. */
  public String armored() throws OpdeployException {
    try {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      for (PGPPublicKeyRing ring : rings) {
        ring.encode(out, true);
      }
      return OpenPgpPackets.armor(out.toByteArray());
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot encode the trusted keys of " + origin + ": " + e.getMessage(), e);
    }
  }

  /** A key that may have made {@code signature}, with the certificate it belongs to. */
  record Candidate(PGPPublicKeyRing ring, PGPPublicKey key) {
    String primaryFingerprint() {
      return OpenPgpPackets.hex(ring.getPublicKey().getFingerprint());
    }

    String keyFingerprint() {
      return OpenPgpPackets.hex(key.getFingerprint());
    }
  }

  /**
   * The trusted keys named as issuer of the signature: by issuer fingerprint when the signature
   * carries one (exact), else by the 64-bit issuer key id.
   */
  List<Candidate> candidatesFor(PGPSignature signature) {
    byte[] fingerprint = issuerFingerprint(signature);
    long keyId = signature.getKeyID();
    List<Candidate> found = new ArrayList<>();
    for (PGPPublicKeyRing ring : rings) {
      for (Iterator<PGPPublicKey> keys = ring.getPublicKeys(); keys.hasNext(); ) {
        PGPPublicKey key = keys.next();
        boolean match =
            fingerprint != null
                ? Arrays.equals(fingerprint, key.getFingerprint())
                : keyId != 0 && key.getKeyID() == keyId;
        if (match) {
          found.add(new Candidate(ring, key));
        }
      }
    }
    return found;
  }

  static byte[] issuerFingerprint(PGPSignature signature) {
    for (var vector :
        new org.bouncycastle.openpgp.PGPSignatureSubpacketVector[] {
          signature.getHashedSubPackets(), signature.getUnhashedSubPackets()
        }) {
      if (vector == null) {
        continue;
      }
      IssuerFingerprint issuer = vector.getIssuerFingerprint();
      if (issuer != null) {
        return issuer.getFingerprint();
      }
    }
    return null;
  }

  /** How the signature names its issuer, for messages. */
  static String issuerOf(PGPSignature signature) {
    byte[] fingerprint = issuerFingerprint(signature);
    return fingerprint != null
        ? OpenPgpPackets.hex(fingerprint)
        : OpenPgpPackets.keyId(signature.getKeyID());
  }
}
