package org.opdeploy.seal;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.PBESecretKeyEncryptor;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.secret.Secret;

/**
 * A fresh Ed25519 OpenPGP key (one primary key that certifies and signs), for the demo and tests.
 * gpg 2.2 and later read both halves. Never use it for real releases: nothing protects it.
 */
public final class ThrowawayKey {
  private final PGPSecretKeyRing secretRing;
  private final PGPPublicKeyRing publicRing;

  private ThrowawayKey(PGPSecretKeyRing secretRing, PGPPublicKeyRing publicRing) {
    this.secretRing = secretRing;
    this.publicRing = publicRing;
  }

  /** An unprotected key created now that never expires. */
  public static ThrowawayKey generate(String userId) throws OpdeployException {
    return generate(userId, null, Instant.now(), null);
  }

  /**
   * A key created at {@code created} (in the past for an already expired key), protected by {@code
   * passphraseOrNull}, valid for {@code validityOrNull} (null: forever).
   */
  public static ThrowawayKey generate(
      String userId, Secret passphraseOrNull, Instant created, Duration validityOrNull)
      throws OpdeployException {
    try {
      Date when = Date.from(created.truncatedTo(ChronoUnit.SECONDS));
      Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
      generator.init(new Ed25519KeyGenerationParameters(new SecureRandom()));
      PGPKeyPair primary =
          new BcPGPKeyPair(
              PublicKeyPacket.VERSION_4,
              PublicKeyAlgorithmTags.EDDSA_LEGACY,
              generator.generateKeyPair(),
              when);
      PGPSignatureSubpacketGenerator selfSignature = new PGPSignatureSubpacketGenerator();
      selfSignature.setSignatureCreationTime(false, when);
      selfSignature.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
      selfSignature.setPreferredHashAlgorithms(
          false, new int[] {HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA256});
      selfSignature.setIssuerFingerprint(false, primary.getPublicKey());
      if (validityOrNull != null) {
        selfSignature.setKeyExpirationTime(false, validityOrNull.getSeconds());
      }
      BcPGPDigestCalculatorProvider digests = new BcPGPDigestCalculatorProvider();
      PBESecretKeyEncryptor encryptor =
          passphraseOrNull == null
              ? null
              : new BcPBESecretKeyEncryptorBuilder(
                      SymmetricKeyAlgorithmTags.AES_256,
                      digests.get(HashAlgorithmTags.SHA256),
                      0x60)
                  .build(passphraseOrNull.revealChars());
      // SHA-1 here is the secret-key checksum OpenPGP v4 mandates, not a signature digest.
      PGPKeyRingGenerator rings =
          new PGPKeyRingGenerator(
              PGPSignature.POSITIVE_CERTIFICATION,
              primary,
              userId,
              digests.get(HashAlgorithmTags.SHA1),
              selfSignature.generate(),
              null,
              new BcPGPContentSignerBuilder(
                  PublicKeyAlgorithmTags.EDDSA_LEGACY, HashAlgorithmTags.SHA512),
              encryptor);
      return new ThrowawayKey(rings.generateSecretKeyRing(), rings.generatePublicKeyRing());
    } catch (PGPException e) {
      throw new OpdeployException("cannot generate a throw-away signing key: " + e.getMessage(), e);
    }
  }

  /** The secret key, armored, as OPDEPLOY_SIGNING_KEY takes it. */
  public String armoredSecretKey() {
    return armor(secretRing);
  }

  /** The public key, armored, as a target's trusted keys file takes it. */
  public String armoredPublicKey() {
    return armor(publicRing);
  }

  /** The primary key fingerprint, uppercase hex. */
  public String fingerprint() {
    return OpenPgpPackets.hex(publicRing.getPublicKey().getFingerprint());
  }

  /** The public half as trusted keys. */
  public TrustedKeys trustedKeys() {
    return new TrustedKeys(java.util.List.of(publicRing), "throw-away key " + fingerprint());
  }

  PGPSecretKeyRing secretKeyRing() {
    return secretRing;
  }

  private static String armor(Object ring) {
    try {
      byte[] packets =
          ring instanceof PGPSecretKeyRing s
              ? s.getEncoded()
              : ((PGPPublicKeyRing) ring).getEncoded();
      return OpenPgpPackets.armor(packets);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "ThrowawayKey[" + fingerprint() + "]";
  }
}
