package org.opdeploy.seal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SecretKeyPacket;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.secret.Secret;

/**
 * Signs a sealed release folder: writes {@code SHA256SUMS.asc}, an armored detached binary-document
 * signature of {@code SHA256SUMS} (SHA-256, or SHA-512 for ECDSA; issuer fingerprint and key id; no
 * compression), and proves it with {@link SignatureVerifier} before anyone can see it. The key is
 * unlocked once, when the signer is made, so a wrong passphrase fails before any long work.
 */
public final class ReleaseSigner {
  public static final String KEY_VARIABLE = "OPDEPLOY_SIGNING_KEY";
  public static final String PASSPHRASE_VARIABLE = "OPDEPLOY_SIGNING_PASSPHRASE";

  private final PGPPrivateKey privateKey;
  private final PGPPublicKey signingKey;
  private final TrustedKeys ownCertificate;

  private ReleaseSigner(
      PGPPrivateKey privateKey, PGPPublicKey signingKey, TrustedKeys ownCertificate) {
    this.privateKey = privateKey;
    this.signingKey = signingKey;
    this.ownCertificate = ownCertificate;
  }

  /**
   * From OPDEPLOY_SIGNING_KEY (armored text, or "@/path") and OPDEPLOY_SIGNING_PASSPHRASE in {@code
   * env}; null when no key is configured. {@code pinnedKeyId} may be null, else a key id,
   * fingerprint or fingerprint suffix of the (sub)key or certificate to sign with.
   */
  public static ReleaseSigner fromEnvironment(Map<String, String> env, String pinnedKeyId)
      throws OpdeployException {
    Secret key = Secret.fromEnvironment(env, KEY_VARIABLE);
    if (key == null) {
      return null;
    }
    Secret passphrase = Secret.fromEnvironment(env, PASSPHRASE_VARIABLE);
    String value = key.reveal();
    if (value.startsWith("@")) {
      Path file = Path.of(value.substring(1).strip());
      try {
        return of(
            Secret.of(Files.readString(file, StandardCharsets.ISO_8859_1)),
            passphrase,
            pinnedKeyId);
      } catch (NoSuchFileException e) {
        throw new BadInputException(KEY_VARIABLE + " names " + file + ", which does not exist");
      } catch (IOException e) {
        throw new BadInputException(
            "cannot read the signing key file "
                + file
                + " named by "
                + KEY_VARIABLE
                + ": "
                + e.getClass().getSimpleName());
      }
    }
    return of(key, passphrase, pinnedKeyId);
  }

  /**
   * From secret key material (armored or binary, as ISO-8859-1 text) and an optional passphrase.
   */
  public static ReleaseSigner of(Secret secretKey, Secret passphraseOrNull, String pinnedKeyId)
      throws OpdeployException {
    byte[] material = secretKey.reveal().getBytes(StandardCharsets.ISO_8859_1);
    SigningKeys.Choice choice =
        SigningKeys.choose(SigningKeys.parse(material), pinnedKeyId, Instant.now());
    PGPPrivateKey privateKey = unlock(choice.secretKey(), passphraseOrNull);
    TrustedKeys own =
        new TrustedKeys(List.of(choice.certificate()), "the signing key's own certificate");
    return new ReleaseSigner(privateKey, choice.secretKey().getPublicKey(), own);
  }

  private static PGPPrivateKey unlock(PGPSecretKey key, Secret passphrase)
      throws OpdeployException {
    String fingerprint = OpenPgpPackets.hex(key.getPublicKey().getFingerprint());
    boolean protectedKey = key.getS2KUsage() != SecretKeyPacket.USAGE_NONE;
    if (protectedKey && passphrase == null) {
      throw new OpdeployException(
          "signing key "
              + fingerprint
              + " is protected by a passphrase: set "
              + PASSPHRASE_VARIABLE);
    }
    char[] chars = protectedKey ? passphrase.revealChars() : new char[0];
    try {
      return key.extractPrivateKey(
          new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(chars));
    } catch (PGPException | RuntimeException e) {
      // No cause attached: nothing about the secret material may reach a stack trace.
      throw new OpdeployException(
          "cannot unlock signing key "
              + fingerprint
              + ": "
              + PASSPHRASE_VARIABLE
              + " is wrong (or the key is damaged)");
    } finally {
      java.util.Arrays.fill(chars, '\0');
    }
  }

  /**
   * The fingerprint of the signer's certificate (primary key), uppercase hex, as targets trust it.
   */
  public String fingerprint() {
    return ownCertificate.fingerprints().get(0);
  }

  /** The fingerprint of the (sub)key that actually signs. */
  public String signingKeyFingerprint() {
    return OpenPgpPackets.hex(signingKey.getFingerprint());
  }

  /** The signer's certificate, for a targets' trusted keys file or to check what was signed. */
  public TrustedKeys certificate() {
    return ownCertificate;
  }

  /** Writes dir/SHA256SUMS.asc over dir/SHA256SUMS (temp file + rename) and verifies it first. */
  public void sign(Path dir) throws OpdeployException {
    Path sums = dir.resolve(AssetNames.SHA256SUMS);
    byte[] data;
    try {
      data = Files.readAllBytes(sums);
    } catch (NoSuchFileException e) {
      throw new OpdeployException(
          "cannot sign "
              + dir
              + ": it has no "
              + AssetNames.SHA256SUMS
              + "; seal the release folder first");
    } catch (IOException e) {
      throw new OpdeployException("cannot read " + sums + ": " + e.getMessage(), e);
    }
    byte[] armored = signature(data).getBytes(StandardCharsets.US_ASCII);
    Path target = dir.resolve(AssetNames.SHA256SUMS_SIGNATURE);
    AtomicFiles.write(
        target,
        armored,
        written -> {
          // Check what is on disk against what SHA256SUMS holds now, with an independent verifier.
          new SignatureVerifier(ownCertificate)
              .verify(
                  Files.readAllBytes(sums),
                  Files.readAllBytes(written),
                  AssetNames.SHA256SUMS_SIGNATURE);
        });
  }

  /** An armored detached signature over {@code data}. */
  String signature(byte[] data) throws OpdeployException {
    int digest =
        signingKey.getAlgorithm() == PublicKeyAlgorithmTags.ECDSA
            ? HashAlgorithmTags
                .SHA512 // covers every curve size; gpg wants at least the curve's bits
            : HashAlgorithmTags.SHA256;
    try {
      PGPSignatureGenerator generator =
          new PGPSignatureGenerator(
              new BcPGPContentSignerBuilder(signingKey.getAlgorithm(), digest), signingKey);
      generator.init(PGPSignature.BINARY_DOCUMENT, privateKey);
      PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
      hashed.setSignatureCreationTime(false, new Date());
      hashed.setIssuerFingerprint(false, signingKey);
      hashed.setIssuerKeyID(false, signingKey.getKeyID());
      generator.setHashedSubpackets(hashed.generate());
      generator.update(data);
      ByteArrayOutputStream packets = new ByteArrayOutputStream();
      generator.generate().encode(packets);
      return OpenPgpPackets.armor(packets.toByteArray());
    } catch (PGPException | IOException e) {
      throw new OpdeployException(
          "cannot sign with key " + signingKeyFingerprint() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "ReleaseSigner[" + signingKeyFingerprint() + "]";
  }
}
