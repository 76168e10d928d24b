package org.opdeploy.seal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.opdeploy.error.VerificationException;

/**
 * Checks an armored detached OpenPGP signature against {@link TrustedKeys}. It accepts a document
 * signature with SHA-256 or a stronger digest, made by a trusted key (or a subkey it bound) that is
 * neither expired nor revoked, both when it signed and now. Everything else is exit 3.
 */
public final class SignatureVerifier {
  /** Digests accepted: SHA-256 and stronger. SHA-1, MD5, RIPEMD-160 and SHA-224 are refused. */
  static final Set<Integer> STRONG_DIGESTS =
      Set.of(
          HashAlgorithmTags.SHA256,
          HashAlgorithmTags.SHA384,
          HashAlgorithmTags.SHA512,
          HashAlgorithmTags.SHA3_256,
          HashAlgorithmTags.SHA3_512);

  /** Build host and target clocks disagree a little; more than this is a clock or a forgery. */
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(10);

  private final TrustedKeys keys;
  private final Clock clock;

  public SignatureVerifier(TrustedKeys keys) {
    this(keys, Clock.systemUTC());
  }

  SignatureVerifier(TrustedKeys keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  /**
   * Verifies an armored detached signature over data; returns the signer's primary key fingerprint
   * (uppercase hex). Exit 3 ({@link VerificationException}) naming {@code fileName} on any failure:
   * bad, untrusted, expired or revoked key, SHA-1 or weaker digest, mismatch.
   */
  public String verify(byte[] data, byte[] armoredSignature, String fileName)
      throws VerificationException {
    List<PGPSignature> signatures = parse(armoredSignature, fileName);
    Instant now = clock.instant();
    List<String> problems = new ArrayList<>();
    for (PGPSignature signature : signatures) {
      Outcome outcome = check(signature, data, now);
      if (outcome.signer() != null) {
        return outcome.signer();
      }
      problems.add(outcome.problem());
    }
    throw new VerificationException(
        "signature check failed for " + fileName + ": " + String.join("; ", problems));
  }

  /**
   * The trusted signer's primary fingerprint, or one clause saying why the signature is not good.
   */
  private record Outcome(String signer, String problem) {
    static Outcome bad(String problem) {
      return new Outcome(null, problem);
    }
  }

  private Outcome check(PGPSignature signature, byte[] data, Instant now) {
    String issuer = TrustedKeys.issuerOf(signature);
    if (signature.getVersion() < 4) {
      return Outcome.bad(
          "signature by "
              + issuer
              + " is an obsolete version "
              + signature.getVersion()
              + " signature; re-sign with a current gpg");
    }
    int type = signature.getSignatureType();
    if (type != PGPSignature.BINARY_DOCUMENT && type != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
      return Outcome.bad(
          "signature by " + issuer + " is not a document signature (type " + type + ")");
    }
    if (!STRONG_DIGESTS.contains(signature.getHashAlgorithm())) {
      return Outcome.bad(
          "signature by "
              + issuer
              + " uses "
              + Digests.name(signature.getHashAlgorithm())
              + "; only SHA-256 or stronger is accepted (re-sign with gpg --digest-algo SHA256)");
    }
    Instant made = signature.getCreationTime().toInstant();
    if (made.isAfter(now.plus(CLOCK_SKEW))) {
      return Outcome.bad(
          "signature by "
              + issuer
              + " was made in the future ("
              + made
              + "); check this machine's clock");
    }
    long lifetime = signature.getHashedSubPackets().getSignatureExpirationTime();
    if (lifetime > 0 && !made.plusSeconds(lifetime).isAfter(now)) {
      return Outcome.bad("signature by " + issuer + " expired on " + made.plusSeconds(lifetime));
    }
    List<TrustedKeys.Candidate> candidates = keys.candidatesFor(signature);
    if (candidates.isEmpty()) {
      return Outcome.bad(
          "signed by key "
              + issuer
              + ", which is not among the trusted keys in "
              + keys.origin()
              + " ("
              + String.join(", ", keys.fingerprints())
              + ")");
    }
    String last = null;
    for (TrustedKeys.Candidate candidate : candidates) {
      last = problemWithKey(signature, candidate, data, made, now);
      if (last == null) {
        return new Outcome(candidate.primaryFingerprint(), null);
      }
    }
    return Outcome.bad(last);
  }

  private static String problemWithKey(
      PGPSignature signature,
      TrustedKeys.Candidate candidate,
      byte[] data,
      Instant made,
      Instant now) {
    String who = "key " + candidate.keyFingerprint();
    String unusable = KeyStatus.whyNotSigning(candidate.ring(), candidate.key(), now);
    if (unusable == null) {
      unusable = KeyStatus.whyNotSigning(candidate.ring(), candidate.key(), made);
    }
    if (unusable != null) {
      return who + " " + unusable;
    }
    try {
      signature.init(new BcPGPContentVerifierBuilderProvider(), candidate.key());
      signature.update(data);
      if (!signature.verify()) {
        return "BAD signature by " + who + ": the signed file was changed after signing";
      }
      return null;
    } catch (PGPException | RuntimeException e) {
      return "signature by " + who + " cannot be checked: " + e.getMessage();
    }
  }

  private static List<PGPSignature> parse(byte[] armored, String fileName)
      throws VerificationException {
    List<PGPSignature> signatures = new ArrayList<>();
    try {
      for (Object object : OpenPgpPackets.read(armored)) {
        if (object instanceof PGPSignatureList list) {
          list.forEach(signatures::add);
        } else {
          throw new VerificationException(
              "signature check failed for "
                  + fileName
                  + ": the signature file holds "
                  + object.getClass().getSimpleName()
                  + ", not a detached signature (make one with gpg --detach-sign --armor)");
        }
      }
    } catch (IOException | PGPException | RuntimeException e) {
      throw new VerificationException(
          "signature check failed for "
              + fileName
              + ": not an OpenPGP signature ("
              + e.getMessage()
              + ")");
    }
    if (signatures.isEmpty()) {
      throw new VerificationException(
          "signature check failed for " + fileName + ": the signature file is empty");
    }
    return signatures;
  }
}
