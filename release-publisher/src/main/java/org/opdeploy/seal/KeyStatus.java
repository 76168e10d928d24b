package org.opdeploy.seal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Decides whether a (sub)key of a certificate may make data signatures at a given time. Every
 * self-signature, binding, back-signature and revocation is checked cryptographically before it
 * counts: a subkey or expiry date that its primary key did not sign is ignored, exactly as gpg
 * does.
 */
final class KeyStatus {
  private static final BcPGPContentVerifierBuilderProvider VERIFIERS =
      new BcPGPContentVerifierBuilderProvider();

  private KeyStatus() {}

  /** Null when {@code key} of {@code ring} can sign at {@code at}; otherwise why it cannot. */
  static String whyNotSigning(PGPPublicKeyRing ring, PGPPublicKey key, Instant at) {
    PGPPublicKey primary = ring.getPublicKey();
    if (revokedBy(primary, primary, PGPSignature.KEY_REVOCATION, null)) {
      return "is revoked";
    }
    PGPSignature primarySelf = latestSelfSignature(primary);
    if (primarySelf == null) {
      return "has no valid self-signature";
    }
    String expired = expiry(primary, primarySelf, at);
    if (expired != null) {
      return expired;
    }
    if (key.getCreationTime().toInstant().isAfter(at)) {
      return "was created after " + at;
    }
    if (key.getKeyID() == primary.getKeyID()) {
      int flags = primarySelf.getHashedSubPackets().getKeyFlags();
      boolean canSign = flags == 0 ? algorithmCanSign(primary) : (flags & KeyFlags.SIGN_DATA) != 0;
      return canSign ? null : "is not allowed to sign data (key flags)";
    }
    if (revokedBy(key, primary, PGPSignature.SUBKEY_REVOCATION, primary)) {
      return "is revoked";
    }
    PGPSignature binding = latestBinding(primary, key);
    if (binding == null) {
      return "is not bound to its primary key by a valid signature";
    }
    if ((binding.getHashedSubPackets().getKeyFlags() & KeyFlags.SIGN_DATA) == 0) {
      return "is not allowed to sign data (key flags)";
    }
    if (!hasValidBackSignature(binding, primary, key)) {
      return "lacks the back-signature a signing subkey needs";
    }
    return expiry(key, binding, at);
  }

  static boolean algorithmCanSign(PGPPublicKey key) {
    return switch (key.getAlgorithm()) {
      case PublicKeyAlgorithmTags.RSA_GENERAL,
          PublicKeyAlgorithmTags.RSA_SIGN,
          PublicKeyAlgorithmTags.DSA,
          PublicKeyAlgorithmTags.ECDSA,
          PublicKeyAlgorithmTags.EDDSA_LEGACY,
          PublicKeyAlgorithmTags.Ed25519,
          PublicKeyAlgorithmTags.Ed448 ->
          true;
      default -> false;
    };
  }

  /**
   * "expired on …" when the self-signature gives the key a lifetime that ended before {@code at}.
   */
  private static String expiry(PGPPublicKey key, PGPSignature selfSignature, Instant at) {
    long seconds = selfSignature.getHashedSubPackets().getKeyExpirationTime();
    if (seconds <= 0) {
      return null;
    }
    Instant end = key.getCreationTime().toInstant().plusSeconds(seconds);
    return end.isAfter(at) ? null : "expired on " + end;
  }

  private static PGPSignature latestSelfSignature(PGPPublicKey primary) {
    List<PGPSignature> valid = new ArrayList<>();
    for (Iterator<byte[]> ids = primary.getRawUserIDs(); ids.hasNext(); ) {
      byte[] id = ids.next();
      for (Iterator<PGPSignature> sigs = primary.getSignaturesForID(id); sigs.hasNext(); ) {
        PGPSignature sig = sigs.next();
        if (sig.isCertification()
            && sig.getKeyID() == primary.getKeyID()
            && verifies(sig, primary, s -> s.verifyCertification(id, primary))) {
          valid.add(sig);
        }
      }
    }
    for (Iterator<PGPSignature> sigs = primary.getSignaturesOfType(PGPSignature.DIRECT_KEY);
        sigs.hasNext(); ) {
      PGPSignature sig = sigs.next();
      if (verifies(sig, primary, s -> s.verifyCertification(primary))) {
        valid.add(sig);
      }
    }
    return newest(valid);
  }

  private static PGPSignature latestBinding(PGPPublicKey primary, PGPPublicKey subkey) {
    List<PGPSignature> valid = new ArrayList<>();
    for (Iterator<PGPSignature> sigs = subkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING);
        sigs.hasNext(); ) {
      PGPSignature sig = sigs.next();
      if (verifies(sig, primary, s -> s.verifyCertification(primary, subkey))) {
        valid.add(sig);
      }
    }
    return newest(valid);
  }

  private static boolean hasValidBackSignature(
      PGPSignature binding, PGPPublicKey primary, PGPPublicKey subkey) {
    List<PGPSignature> embedded = new ArrayList<>();
    try {
      for (var vector : List.of(binding.getHashedSubPackets(), binding.getUnhashedSubPackets())) {
        PGPSignatureList list = vector.getEmbeddedSignatures();
        list.forEach(embedded::add);
      }
    } catch (PGPException e) {
      return false;
    }
    return embedded.stream()
        .anyMatch(
            sig ->
                sig.getSignatureType() == PGPSignature.PRIMARYKEY_BINDING
                    && verifies(sig, subkey, s -> s.verifyCertification(primary, subkey)));
  }

  private static boolean revokedBy(
      PGPPublicKey key, PGPPublicKey signer, int type, PGPPublicKey primaryOrNull) {
    for (Iterator<PGPSignature> sigs = key.getSignaturesOfType(type); sigs.hasNext(); ) {
      PGPSignature sig = sigs.next();
      boolean valid =
          primaryOrNull == null
              ? verifies(sig, signer, s -> s.verifyCertification(key))
              : verifies(sig, signer, s -> s.verifyCertification(primaryOrNull, key));
      if (valid) {
        return true;
      }
    }
    return false;
  }

  private static PGPSignature newest(List<PGPSignature> signatures) {
    PGPSignature newest = null;
    for (PGPSignature sig : signatures) {
      if (newest == null || !sig.getCreationTime().before(newest.getCreationTime())) {
        newest = sig;
      }
    }
    return newest;
  }

  @FunctionalInterface
  private interface Check {
    boolean test(PGPSignature signature) throws PGPException;
  }

  /** A signature that cannot be checked (unknown algorithm, malformed) simply does not count. */
  private static boolean verifies(PGPSignature sig, PGPPublicKey signer, Check check) {
    try {
      sig.init(VERIFIERS, signer);
      return check.test(sig);
    } catch (PGPException | RuntimeException e) {
      return false;
    }
  }
}
