package org.opdeploy.deploy.receive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.opdeploy.btrfs.Btrfs;
import org.opdeploy.btrfs.SubvolumeInfo;
import org.opdeploy.deploy.inventory.Deployment;
import org.opdeploy.deploy.inventory.DeploymentInventory;
import org.opdeploy.deploy.inventory.StagingArea;
import org.opdeploy.deploy.layout.TargetLayout;
import org.opdeploy.deploy.release.FetchedFile;
import org.opdeploy.deploy.release.FetchedRelease;
import org.opdeploy.deploy.release.TrustedRelease;
import org.opdeploy.deploy.state.CrashPoint;
import org.opdeploy.deploy.state.StateFile;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.error.VerificationException;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.progress.ProgressEvent;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.version.Version;

/**
 * Receives a proven release as {@code <root>/deploy/@NAME-V}, journalled in {@code
 * <root>/deploy/.staging/} ({@link StagingArea}), checks what arrived (read-only, received uuid =
 * the manifest's subvolume uuid, parent = the local deployment the incremental stream was chosen
 * for), makes it durable, and only then promotes it and records it, with its source, in {@code
 * state.json} (one write). A failed receive removes what it left; leftovers of earlier interrupted
 * runs are swept first. The active deployment is never touched.
 */
public final class ReceiveDeploymentStep {
  private final Btrfs btrfs;
  private final TargetLayout layout;
  private final DeploymentInventory inventory;
  private final StateFile state;
  private final ProgressListener progress;

  public ReceiveDeploymentStep(
      Btrfs btrfs,
      TargetLayout layout,
      DeploymentInventory inventory,
      StateFile state,
      ProgressListener progress) {
    this.btrfs = btrfs;
    this.layout = layout;
    this.inventory = inventory;
    this.state = state;
    this.progress = progress;
  }

  public DeployResult run(TrustedRelease release) throws OpdeployException {
    FetchedRelease fetched = release.fetched();
    Manifest manifest = fetched.manifest();
    Version version = fetched.version();
    String uuid = manifest.subvolume().uuid();
    Path target = layout.deployment(manifest.name(), version);
    progress.stepStarted("receive " + version);

    Optional<Deployment> existing = inventory.find(version);
    if (existing.isPresent()) {
      return alreadyDeployed(existing.get(), fetched, uuid);
    }
    StagingArea staging = new StagingArea(btrfs, layout.staging(), progress);
    // Whatever an earlier run left unfinished goes, even a complete receive: its bytes were never
    // compared with the verified hash, and a stream can claim any received uuid.
    staging.sweep();
    String subvolumeName = target.getFileName().toString();
    requireParentStillThere(fetched);
    long declared = fetched.stream().streamSize();
    if (declared <= 0) {
      throw new VerificationException(
          fetched.index().manifestFile()
              + " declares no size for the stream of "
              + version
              + ": it cannot be received within bounds; publish it again with a current opdeploy");
    }
    AtomicLong fed = new AtomicLong();
    // A streamed release is proven chunk by chunk as it arrives; a fetched one is hashed again as
    // it is fed.
    FeedInput input =
        fetched.streamed() != null
            ? new ProvenChunks(fetched.streamed(), version, fetched.stream().files(), progress)
            : new HashingParts(provenParts(fetched));
    String task = "receive " + version;
    long storedBytes = fetched.stream().storedSize();
    StreamFeed feed =
        new StreamFeed(input, fetched.stream().compression(), declared, progress, task);
    staging.begin(subvolumeName, uuid);
    ReceiveFootprint footprint =
        ReceiveFootprint.record(btrfs, layout.deployments(), layout.staging());
    try {
      btrfs.receive(staging.receiveDirectory(), out -> fed.set(feed.writeTo(out)));
    } catch (OpdeployException e) {
      removeStrays(footprint, target, version);
      staging.clearQuietly();
      if (feed.exceeded()) {
        throw new VerificationException(
            "the stream of "
                + version
                + " is longer than the "
                + declared
                + " bytes its manifest declares: receive was stopped there and what it wrote was deleted",
            e);
      }
      Optional<VerificationException> refusal = input.refusal(true);
      if (refusal.isPresent()) {
        throw refusal.get();
      }
      Optional<OpdeployException> sourceFailure = input.sourceFailure();
      if (sourceFailure.isPresent()) {
        OpdeployException failure = sourceFailure.get();
        String message =
            failure.getMessage()
                + "; the half-received subvolume was deleted and the active"
                + " version is untouched";
        throw failure.exitCode() == ExitCode.VERIFICATION_FAILED
            ? new VerificationException(message, failure)
            : new OpdeployException(message, failure);
      }
      // A full disk is no reason to try the (larger) full stream; anything else about the
      // incremental is.
      if (fetched.incremental()
          && !String.valueOf(e.getMessage()).contains("No space left on device")) {
        throw new IncrementalNotApplicableException(
            "btrfs receive of the incremental stream of " + version + " failed: " + e.getMessage(),
            e);
      }
      throw new OpdeployException(
          "btrfs receive of "
              + version
              + " failed: "
              + e.getMessage()
              + "; staging was cleaned and the active version is untouched",
          e);
    }
    // Strays before any sweep: a marker the stream wrote into .staging/ must not steer it.
    removeStrays(footprint, target, version);
    Optional<VerificationException> refusal = input.refusal(false);
    if (refusal.isPresent()) {
      staging.clearQuietly();
      throw refusal.get();
    }
    long streamBytes = fed.get();
    if (streamBytes != declared) {
      staging.clearQuietly();
      throw new VerificationException(
          "the stream of "
              + version
              + " has "
              + streamBytes
              + " bytes, not the "
              + declared
              + " its manifest declares; the received subvolume was deleted");
    }
    SubvolumeInfo subvolume = findReceived(staging, target, uuid, version);
    try {
      checkReceived(subvolume, fetched, uuid);
      // btrfs receive does not sync: a deployment is promoted only once its data is on disk, or
      // a power cut could leave a read-only subvolume with its received uuid but files cut short.
      progress.progress(
          ProgressEvent.waiting(task, storedBytes, "waiting for the deployment to sync to disk"));
      btrfs.sync(target);
      progress.progress(ProgressEvent.finished(task, storedBytes));
    } catch (OpdeployException e) {
      staging.clearQuietly();
      throw e;
    }
    staging.finish(subvolumeName);
    CrashPoint.reached("deploy-promoted");
    state.write(state.read().withInstalled(manifest.name(), version).withSource(fetched.source()));
    dropStreamFiles(fetched);
    progress.stepFinished("receive " + version);
    Version parent = fetched.parent() == null ? null : fetched.parent().version();
    return new DeployResult(version, target, uuid, parent, false, streamBytes);
  }

  /**
   * Removes whatever the stream created beside {@code target} (receive is chrooted into {@code
   * deploy/}, so that is as far as a crafted path or symlink gets) and refuses the release.
   */
  private void removeStrays(ReceiveFootprint footprint, Path target, Version version)
      throws OpdeployException {
    List<Path> strays = footprint.strays(target);
    List<Path> missing = footprint.missing();
    if (strays.isEmpty() && missing.isEmpty()) {
      return;
    }
    // Strays first: a marker the stream wrote into .staging/ must not make the sweep delete a
    // deployment.
    footprint.remove(strays);
    new StagingArea(btrfs, layout.staging(), progress).clearQuietly();
    throw new VerificationException(
        "the stream of "
            + version
            + " wrote outside its subvolume "
            + target.getFileName()
            + " ("
            + describe(strays, missing)
            + "); removed what it created, nothing was"
            + " deployed: the release does not match its manifest, do not deploy it");
  }

  private static String describe(List<Path> strays, List<Path> missing) {
    List<String> items = new ArrayList<>();
    strays.forEach(p -> items.add("created " + p.getFileName()));
    missing.forEach(p -> items.add("moved " + p.getFileName()));
    return String.join(", ", items);
  }

  private DeployResult alreadyDeployed(Deployment existing, FetchedRelease fetched, String uuid)
      throws OpdeployException {
    Manifest manifest = fetched.manifest();
    if (!uuid.equals(existing.subvolume().receivedUuid()) || !existing.subvolume().readOnly()) {
      throw new OpdeployException(
          existing.path()
              + " exists but is not the subvolume "
              + uuid
              + " of "
              + manifest.name()
              + "-"
              + existing.version()
              + ": remove it (target prune) and deploy again");
    }
    state.write(
        state
            .read()
            .withInstalled(manifest.name(), existing.version())
            .withSource(fetched.source()));
    progress.info(existing.version() + " is already deployed at " + existing.path());
    progress.stepFinished("receive " + existing.version());
    return new DeployResult(existing.version(), existing.path(), uuid, null, true, 0);
  }

  private void requireParentStillThere(FetchedRelease fetched) throws OpdeployException {
    if (fetched.parent() == null) {
      return;
    }
    String parentUuid = fetched.stream().parent().uuid();
    if (inventory.findByReceivedUuid(parentUuid).isEmpty()) {
      throw new IncrementalNotApplicableException(
          "parent "
              + fetched.stream().parent().version()
              + " ("
              + parentUuid
              + ") vanished since the fetch");
    }
  }

  private SubvolumeInfo findReceived(StagingArea staging, Path target, String uuid, Version version)
      throws OpdeployException {
    if (btrfs.isSubvolume(target)) {
      return btrfs.show(target);
    }
    staging.clearQuietly();
    for (var deployment : inventory.list()) {
      if (uuid.equals(deployment.subvolume().receivedUuid()) && !deployment.path().equals(target)) {
        // The stream named its subvolume differently from the manifest: not what was signed for.
        btrfs.delete(deployment.path());
      }
    }
    throw new VerificationException(
        "the stream of "
            + version
            + " did not produce "
            + target
            + "; the release does not match its manifest");
  }

  private void checkReceived(SubvolumeInfo subvolume, FetchedRelease fetched, String uuid)
      throws OpdeployException {
    if (!subvolume.readOnly()) {
      throw new VerificationException(
          subvolume.path() + " is writable after receive: the stream is incomplete");
    }
    if (!uuid.equals(subvolume.receivedUuid())) {
      throw new VerificationException(
          subvolume.path()
              + " has received uuid "
              + subvolume.receivedUuid()
              + ", not "
              + uuid
              + " as the manifest says");
    }
    String expectedParent = fetched.parent() == null ? "" : fetched.parent().subvolume().uuid();
    if (fetched.parent() != null && !expectedParent.equals(subvolume.parentUuid())) {
      // Another subvolume carries the parent's received uuid and receive took that one.
      throw new IncrementalNotApplicableException(
          subvolume.path()
              + " was received on top of "
              + subvolume.parentUuid()
              + ", not on "
              + fetched.parent().path()
              + " ("
              + expectedParent
              + ")");
    }
  }

  /**
   * The stream's files, each with the SHA-256 it was proven to have (the manifest's, which
   * verification matched against the file and SHA256SUMS), for the feed to compare with.
   */
  private static List<FetchedFile> provenParts(FetchedRelease fetched) {
    List<FetchedFile> parts = new ArrayList<>();
    for (int i = 0; i < fetched.streamFiles().size(); i++) {
      FetchedFile file = fetched.streamFiles().get(i);
      String proven = fetched.stream().files().get(i).sha256();
      parts.add(new FetchedFile(file.name(), file.path(), file.size(), proven, file.inPlace()));
    }
    return parts;
  }

  /**
   * The streams are no longer needed once received (or once given up for the full stream); the
   * signed index stays for status and audit. A stream used in place belongs to its store and stays;
   * a copy of it left in the cache goes.
   */
  public void dropStreamFiles(FetchedRelease fetched) {
    for (FetchedFile file : fetched.streamFiles()) {
      Path cached = fetched.directory().resolve(file.name());
      Path partial = TargetLayout.partial(fetched.directory(), file.name());
      try {
        Files.deleteIfExists(partial);
        Files.deleteIfExists(file.inPlace() ? cached : file.path());
      } catch (IOException e) {
        progress.warn("could not remove " + file.path() + ": " + e.getMessage());
      }
    }
  }
}
