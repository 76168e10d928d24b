package org.opdeploy.stream;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.opdeploy.btrfs.Btrfs;
import org.opdeploy.btrfs.SendCapabilities;
import org.opdeploy.btrfs.SendProtocol;
import org.opdeploy.btrfs.SendRequest;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.hash.Sha256;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.manifest.Checksums;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.manifest.ManifestCodec;
import org.opdeploy.progress.ProgressEvent;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.snapshot.PoolLayout;
import org.opdeploy.snapshot.SentManifests;
import org.opdeploy.snapshot.SnapshotCatalog;
import org.opdeploy.snapshot.SnapshotEntry;
import org.opdeploy.version.Version;

/**
 * {@code opdeploy send VERSION}: writes the full stream of a read-only snapshot and, when it has a
 * parent, the incremental stream against it, each in one pass (see {@link StreamEncoder}); then a
 * {@code .sha256} per stream file, the manifest and {@code SHA256SUMS}. All files appear under
 * their asset names only once everything is complete. The manifest is also recorded in the pool for
 * {@code prune}.
 */
public final class SendStreamStep {
  private final PoolLayout layout;
  private final Btrfs btrfs;
  private final SendSettings settings;
  private final Supplier<ReleaseContext> context;
  private final ProgressListener listener;

  public SendStreamStep(
      PoolLayout layout,
      Btrfs btrfs,
      SendSettings settings,
      ReleaseContext context,
      ProgressListener listener) {
    this(layout, btrfs, settings, () -> context, listener);
  }

  /**
   * Asks {@code context} for the release context only when the manifest is written, after the
   * streams: a slow look-up behind it (the git repository) then runs beside {@code btrfs send}
   * instead of before it.
   */
  public SendStreamStep(
      PoolLayout layout,
      Btrfs btrfs,
      SendSettings settings,
      Supplier<ReleaseContext> context,
      ProgressListener listener) {
    this.layout = layout;
    this.btrfs = btrfs;
    this.settings = settings;
    this.context = context;
    this.listener = listener;
  }

  public SendResult run() throws OpdeployException {
    Version version = settings.version();
    List<SnapshotEntry> snapshots = new SnapshotCatalog(layout, btrfs).list();
    SnapshotEntry snapshot =
        snapshots.stream()
            .filter(s -> s.version().equals(version) && s.readOnly())
            .findFirst()
            .orElseThrow(
                () ->
                    new BadInputException(
                        "no read-only snapshot "
                            + layout.snapshot(version)
                            + ": run `opdeploy snapshot "
                            + version
                            + "` first"));
    Optional<SnapshotEntry> parent = ParentChooser.choose(version, settings.parent(), snapshots);
    OutputFolder out = new OutputFolder(settings.outDir(), layout.name(), version);
    out.checkUsable();
    // The protocol is the targets' choice (send-protocol), never the newest this host speaks:
    // a protocol-2 stream is refused by btrfs-progs before 6.0 (Debian 11, Ubuntu 22.04).
    SendProtocol chosen = settings.protocol();
    if (chosen.version() > 1) {
      SendCapabilities capabilities = btrfs.capabilities();
      if (capabilities.maxProtocol() < chosen.version()
          || (chosen.compressedData() && !capabilities.compressedData())) {
        throw new BadInputException(
            "this build host cannot send with "
                + chosen
                + " (btrfs-progs "
                + capabilities.progsVersion()
                + ", kernel send stream version "
                + capabilities.maxProtocol()
                + "): use send-protocol 1, or btrfs-progs 6.0 and Linux 6.0 or later");
      }
    }
    int protocol = chosen.version();
    boolean compressedData = chosen.compressedData();
    SendRequest request = SendRequest.full(snapshot.path()).withProtocol(protocol, compressedData);

    if (out.create()) {
      listener.info(
          "removed the files of an interrupted send of "
              + version
              + " from "
              + out.directory()
              + ": sending again");
    }
    try {
      List<Manifest.Stream> streams = new ArrayList<>();
      Map<String, String> sums = new LinkedHashMap<>();
      String fullName = AssetNames.fullStream(layout.name(), version, settings.compression());
      Optional<Manifest> last =
          parent.isEmpty()
              ? Optional.empty()
              : new SentManifests(layout).find(parent.get().version());
      long fullEstimate = StreamSizeEstimate.full(last, snapshot.path());
      long incrementalEstimate = StreamSizeEstimate.incremental(last);
      EncodedStream full = send(out, request, fullName, "full stream of " + version, fullEstimate);
      streams.add(describe(out, full, Manifest.Stream.FULL, null, sums));
      if (parent.isPresent()) {
        SnapshotEntry p = parent.get();
        String name =
            AssetNames.incrementalStream(
                layout.name(), version, p.version(), settings.compression());
        EncodedStream incremental =
            send(
                out,
                request.withParent(p.path()),
                name,
                "incremental stream of " + version + " from " + p.version(),
                incrementalEstimate);
        streams.add(
            describe(
                out,
                incremental,
                Manifest.Stream.INCREMENTAL,
                new Manifest.Parent(p.version(), p.uuid()),
                sums));
      }
      Manifest manifest = manifest(snapshot, protocol, compressedData, streams);
      String manifestName = AssetNames.manifest(layout.name(), version);
      byte[] manifestBytes = ManifestCodec.encode(manifest);
      out.write(manifestName, manifestBytes);
      sums.put(manifestName, sha256(manifestBytes));
      out.write(AssetNames.SHA256SUMS, Checksums.render(sums).getBytes(StandardCharsets.UTF_8));
      // Recorded before the rename: at worst prune keeps a parent no published release needs.
      new SentManifests(layout).record(manifest);
      List<Path> files = out.commit();
      listener.info("wrote " + files.size() + " files to " + out.directory());
      return new SendResult(
          manifest, out.directory(), out.directory().resolve(manifestName), files, sums);
    } catch (OpdeployException | RuntimeException e) {
      out.discard();
      throw e;
    }
  }

  /**
   * Runs one {@code btrfs send} through the encoder and stages its files; progress shows a total of
   * about {@code estimate} bytes (unknown when negative).
   */
  private EncodedStream send(
      OutputFolder out, SendRequest request, String streamName, String task, long estimate)
      throws OpdeployException {
    StreamEncoder encoder =
        new StreamEncoder(
            settings.compression(), settings.effectiveWorkers(), settings.maxAssetBytes());
    AtomicReference<EncodedStream> encoded = new AtomicReference<>();
    AtomicReference<StreamWriteException> writeFailure = new AtomicReference<>();
    listener.stepStarted("send " + task);
    listener.progress(ProgressEvent.estimated(task, 0, estimate));
    try {
      btrfs.send(
          request,
          stdout -> {
            try {
              EncodedStream stream =
                  encoder.encode(
                      stdout,
                      out.directory(),
                      streamName,
                      done -> listener.progress(ProgressEvent.estimated(task, done, estimate)));
              for (int i = 0; i < stream.parts().size(); i++) {
                out.stage(stream.parts().get(i).temporary(), stream.fileName(i));
              }
              encoded.set(stream);
            } catch (StreamWriteException e) {
              writeFailure.set(e);
              throw e;
            }
          });
    } catch (OpdeployException e) {
      StreamWriteException failure = writeFailure.get();
      if (failure != null) {
        throw new OpdeployException(
            "cannot write "
                + streamName
                + " to "
                + out.directory()
                + ": "
                + failure.reason()
                + "; free space there or choose another --out",
            failure);
      }
      throw e;
    }
    EncodedStream stream = encoded.get();
    listener.progress(ProgressEvent.finished(task, stream.streamSize()));
    listener.stepFinished("send " + task);
    return stream;
  }

  /** The manifest entry of one stream; adds its files and their .sha256 files to the sums. */
  private Manifest.Stream describe(
      OutputFolder out,
      EncodedStream stream,
      String kind,
      Manifest.Parent parent,
      Map<String, String> sums)
      throws OpdeployException {
    List<Manifest.StreamFile> files = new ArrayList<>();
    for (int i = 0; i < stream.parts().size(); i++) {
      StagedFile part = stream.parts().get(i);
      String name = stream.fileName(i);
      files.add(
          new Manifest.StreamFile(
              name, part.size(), part.sha256(), part.chunkSize(), part.chunks()));
      sums.put(name, part.sha256());
      byte[] checksum =
          Checksums.render(Map.of(name, part.sha256())).getBytes(StandardCharsets.UTF_8);
      out.write(AssetNames.checksumOf(name), checksum);
      sums.put(AssetNames.checksumOf(name), sha256(checksum));
    }
    return new Manifest.Stream(
        kind, parent, settings.compression().algorithm(), files, stream.streamSize());
  }

  private Manifest manifest(
      SnapshotEntry snapshot, int protocol, boolean compressedData, List<Manifest.Stream> streams) {
    ReleaseContext context = this.context.get();
    return new Manifest(
        Manifest.FORMAT,
        layout.name(),
        settings.version(),
        Instant.now().truncatedTo(ChronoUnit.SECONDS),
        context.expires(),
        context.source(),
        new Manifest.Subvolume(snapshot.uuid()),
        new Manifest.BtrfsInfo(protocol, compressedData),
        context.service(),
        context.health(),
        streams,
        context.serviceAccount());
  }

  private static String sha256(byte[] bytes) {
    return Sha256.of(bytes);
  }
}
