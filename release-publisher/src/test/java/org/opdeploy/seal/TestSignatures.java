package org.opdeploy.seal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;

/** Signatures the product would never make (weak digests, odd times), to prove they are refused. */
final class TestSignatures {
  private TestSignatures() {}

  static byte[] sign(ThrowawayKey key, byte[] data, int digest, Date when) throws Exception {
    PGPSecretKey secret = key.secretKeyRing().getSecretKey();
    PGPPrivateKey privateKey =
        secret.extractPrivateKey(
            new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider())
                .build(new char[0]));
    PGPSignatureGenerator generator =
        new PGPSignatureGenerator(
            new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.EDDSA_LEGACY, digest),
            secret.getPublicKey());
    generator.init(PGPSignature.BINARY_DOCUMENT, privateKey);
    PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
    hashed.setSignatureCreationTime(false, when);
    hashed.setIssuerFingerprint(false, secret.getPublicKey());
    generator.setHashedSubpackets(hashed.generate());
    generator.update(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    generator.generate().encode(out);
    return OpenPgpPackets.armor(out.toByteArray()).getBytes(StandardCharsets.US_ASCII);
  }
}
