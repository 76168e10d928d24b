package org.opdeploy.seal;

import org.bouncycastle.bcpg.HashAlgorithmTags;

/** Human names of OpenPGP digest algorithms, for messages. */
final class Digests {
  private Digests() {}

  static String name(int algorithm) {
    return switch (algorithm) {
      case HashAlgorithmTags.MD5 -> "MD5";
      case HashAlgorithmTags.SHA1 -> "SHA-1";
      case HashAlgorithmTags.RIPEMD160 -> "RIPEMD-160";
      case HashAlgorithmTags.SHA224 -> "SHA-224";
      case HashAlgorithmTags.SHA256 -> "SHA-256";
      case HashAlgorithmTags.SHA384 -> "SHA-384";
      case HashAlgorithmTags.SHA512 -> "SHA-512";
      case HashAlgorithmTags.SHA3_256 -> "SHA3-256";
      case HashAlgorithmTags.SHA3_512 -> "SHA3-512";
      default -> "digest algorithm " + algorithm;
    };
  }
}
