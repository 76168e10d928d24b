package org.opdeploy.deploy.verify;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.opdeploy.deploy.release.FetchedFile;
import org.opdeploy.deploy.release.FetchedRelease;
import org.opdeploy.deploy.release.StreamedFiles;
import org.opdeploy.deploy.release.TrustedRelease;
import org.opdeploy.deploy.state.StateFile;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.error.VerificationException;
import org.opdeploy.hash.Sha256;
import org.opdeploy.manifest.ChunkIndex;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.seal.SignatureCheck;
import org.opdeploy.seal.SignedIndex;
import org.opdeploy.seal.SignedIndexVerifier;
import org.opdeploy.store.RemoteAsset;
import org.opdeploy.version.Version;

/**
 * Proves a fetched release before {@code btrfs receive} reads a byte of it, in this order: the
 * signed index ({@link SignedIndexVerifier}, the same check build-side {@code verify} runs), the
 * target's manifest rules, then the checksum of every file the receive will read (computed while
 * downloading, or in place for a {@code dir:} store). Any failure is a {@link
 * VerificationException} (exit 3) naming the file.
 */
public final class VerifyFetchedReleaseStep {
  private final SignatureCheck signatures;
  private final ManifestRules rules;
  private final StateFile state;

  public VerifyFetchedReleaseStep(SignatureCheck signatures, ManifestRules rules, StateFile state) {
    this.signatures = signatures;
    this.rules = rules;
    this.state = state;
  }

  /**
   * Proves the small signed files in {@code directory}: SHA256SUMS, its signature and the manifest
   * of {@code version}. Fetch calls this before downloading any stream.
   */
  public SignedIndex verifyIndex(Version version, Path directory, String manifestFile)
      throws OpdeployException {
    SignedIndex index =
        new SignedIndexVerifier(signatures, true, ProgressListener.NONE)
            .verify(directory, manifestFile);
    rules.check(index.manifest(), manifestFile, version, state.read());
    return index;
  }

  /** Proves the whole fetched release: index again (it is small), then every stream file. */
  public TrustedRelease run(FetchedRelease fetched) throws OpdeployException {
    SignedIndex index =
        verifyIndex(fetched.version(), fetched.directory(), fetched.index().manifestFile());
    if (!index.manifest().equals(fetched.manifest())) {
      throw new VerificationException(
          fetched.index().manifestFile() + " changed since it was fetched");
    }
    List<Manifest.StreamFile> expected = fetched.stream().files();
    if (fetched.streamed() != null) {
      checkStreamed(index, fetched.streamed(), expected);
      return new TrustedRelease(fetched, index.signer());
    }
    List<FetchedFile> files = fetched.streamFiles();
    if (files.size() != expected.size()) {
      throw new VerificationException(
          "the fetched stream has "
              + files.size()
              + " files but the manifest lists "
              + expected.size());
    }
    for (int i = 0; i < files.size(); i++) {
      checkStreamFile(index.checksums(), expected.get(i), files.get(i));
    }
    return new TrustedRelease(fetched, index.signer());
  }

  /**
   * A stream read while it is received is proven chunk by chunk then; here its chunk index must fit
   * each file, and the source's sizes and SHA256SUMS must agree with the manifest.
   */
  private static void checkStreamed(
      SignedIndex index, StreamedFiles streamed, List<Manifest.StreamFile> expected)
      throws VerificationException {
    if (streamed.assets().size() != expected.size()) {
      throw new VerificationException(
          "the source offers "
              + streamed.assets().size()
              + " files of the stream but the"
              + " manifest lists "
              + expected.size());
    }
    for (int i = 0; i < expected.size(); i++) {
      Manifest.StreamFile file = expected.get(i);
      RemoteAsset asset = streamed.assets().get(i);
      try {
        ChunkIndex.check(file, index.manifestFile());
      } catch (BadInputException e) {
        throw new VerificationException(e.getMessage());
      }
      if (!asset.name().equals(file.name()) || asset.size() != file.size()) {
        throw new VerificationException(
            streamed.source().describe()
                + " offers "
                + asset.name()
                + " with "
                + asset.size()
                + " bytes where the manifest lists "
                + file.name()
                + " with "
                + file.size());
      }
      SignedIndexVerifier.requireListed(index.checksums(), file.name(), file.sha256());
    }
  }

  private static void checkStreamFile(
      Map<String, String> checksums, Manifest.StreamFile expected, FetchedFile file)
      throws VerificationException {
    if (!expected.name().equals(file.name())) {
      throw new VerificationException(
          "fetched " + file.name() + " where the manifest lists " + expected.name());
    }
    String actual = file.sha256();
    if (!Sha256.same(checksums.get(file.name()), actual)) {
      // The digest taken while downloading can miss a source that rewrote the file; read it once to
      // be sure.
      actual = rehash(file.path());
    }
    SignedIndexVerifier.requireListed(checksums, file.name(), actual);
    if (file.size() != expected.size() || !Sha256.same(expected.sha256(), actual)) {
      throw new VerificationException(
          file.name() + " does not match the manifest (size or sha256)");
    }
  }

  private static String rehash(Path file) throws VerificationException {
    try {
      return Sha256.ofFile(file);
    } catch (IOException e) {
      throw new VerificationException("cannot read " + file + " to check it: " + e.getMessage(), e);
    }
  }
}
