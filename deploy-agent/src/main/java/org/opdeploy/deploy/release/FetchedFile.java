package org.opdeploy.deploy.release;

import java.nio.file.Path;

/**
 * A complete asset and the SHA-256 computed when it was read.
 *
 * @param path where the bytes are: a file in {@code <root>/cache/<V>/}, or the store's own file
 *     when {@code inPlace}
 * @param inPlace true when {@code path} belongs to a {@code dir:} store and is used where it lies:
 *     it is never written to or deleted, and its bytes are hashed again while they are received
 */
public record FetchedFile(String name, Path path, long size, String sha256, boolean inPlace) {

  /** A file downloaded into the cache. */
  public static FetchedFile cached(String name, Path path, long size, String sha256) {
    return new FetchedFile(name, path, size, sha256, false);
  }
}
