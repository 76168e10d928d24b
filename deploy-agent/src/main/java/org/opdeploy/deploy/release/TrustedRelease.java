package org.opdeploy.deploy.release;

/**
 * A fetched release every byte of which is proven: signature, then checksums of every file the
 * receive will read, then the manifest rules. The only thing {@code btrfs receive} is fed from.
 */
public record TrustedRelease(FetchedRelease fetched, String signer) {}
