package org.opdeploy.seal;

import org.opdeploy.error.OpdeployException;

/**
 * Proves a detached OpenPGP signature against trusted keys. Returns the signer's fingerprint;
 * throws {@link org.opdeploy.error.VerificationException} naming {@code fileName} when the
 * signature is bad or made by an untrusted key.
 */
@FunctionalInterface
public interface SignatureCheck {
  String verify(byte[] data, byte[] armoredSignature, String fileName) throws OpdeployException;

  /** The real check: {@link SignatureVerifier} over {@code keys}. */
  static SignatureCheck trusting(TrustedKeys keys) {
    SignatureVerifier verifier = new SignatureVerifier(keys);
    return verifier::verify;
  }
}
