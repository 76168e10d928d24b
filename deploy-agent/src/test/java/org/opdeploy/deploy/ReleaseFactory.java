package org.opdeploy.deploy;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.opdeploy.btrfs.BtrfsCli;
import org.opdeploy.btrfs.SendProtocol;
import org.opdeploy.btrfs.SendRequest;
import org.opdeploy.hash.Sha256;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.manifest.Checksums;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.manifest.ManifestCodec;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.seal.ReleaseSigner;
import org.opdeploy.secret.Secret;
import org.opdeploy.version.Version;

/**
 * Builds real releases the way the build side does: a golden subvolume on a btrfs pool, frozen as
 * {@code @NAME-V}, sent with real {@code btrfs send} (full, and incremental from a parent),
 * zstd-compressed, optionally split, listed in SHA256SUMS and signed with a throw-away key, into
 * {@code store/<V>/} (the {@code dir:} layout).
 */
final class ReleaseFactory {
  static final String NAME = "op-dbus";
  private final BtrfsCli btrfs = new BtrfsCli(new ProcessRunner());
  private final Path pool;
  private final Path store;
  private final String armoredSecretKey;
  private final Path golden;
  private long chunkBytes;
  private SendProtocol protocol = SendProtocol.DEFAULT;

  ReleaseFactory(Path pool, Path store, String armoredSecretKey) throws Exception {
    this.pool = pool;
    this.store = store;
    this.armoredSecretKey = armoredSecretKey;
    this.golden = pool.resolve(AssetNames.goldenSubvolume(NAME));
    if (!btrfs.isSubvolume(golden)) {
      btrfs.createSubvolume(golden);
    }
  }

  /** Sends the next releases with {@code value} (protocol 1 until then). */
  void useProtocol(SendProtocol value) {
    this.protocol = value;
  }

  /**
   * Releases made from now on carry a chunk index with chunks of {@code bytes} (0: none, as
   * releases made before the index).
   */
  void withChunkIndex(long bytes) {
    this.chunkBytes = bytes;
  }

  Path golden() {
    return golden;
  }

  Path store() {
    return store;
  }

  /**
   * Writes the payload of {@code version}: a health script exiting {@code healthExit}, a unit,
   * data.
   */
  void writePayload(String version, int healthExit, int dataBytes) throws IOException {
    write("etc/op-dbus/version", version + "\n");
    write(
        "usr/lib/systemd/system/op-dbus.service", "[Service]\nExecStart=/usr/local/bin/op-dbus\n");
    Path health = write("usr/local/bin/health", "#!/bin/sh\nexit " + healthExit + "\n");
    Files.setPosixFilePermissions(health, PosixFilePermissions.fromString("rwxr-xr-x"));
    byte[] data = new byte[dataBytes];
    new Random(version.hashCode()).nextBytes(data);
    Files.write(golden.resolve("usr/local/bin/op-dbus-" + version + ".data"), data);
  }

  private Path write(String relative, String text) throws IOException {
    Path file = golden.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  /** Snapshots the golden as {@code version} and publishes it; parent may be null. */
  Manifest release(String version, String parent, Instant expires, long partBytes)
      throws Exception {
    Version v = Version.parse(version);
    Path snapshot = pool.resolve(AssetNames.subvolume(NAME, v));
    btrfs.snapshot(golden, snapshot, true);
    Path dir = Files.createDirectories(store.resolve(version));
    List<Manifest.Stream> streams = new ArrayList<>();
    SendRequest request =
        SendRequest.full(snapshot).withProtocol(protocol.version(), protocol.compressedData());
    streams.add(stream(request, AssetNames.fullStream(NAME, v, zstd()), null, dir, partBytes));
    if (parent != null) {
      Version p = Version.parse(parent);
      Path parentSnapshot = pool.resolve(AssetNames.subvolume(NAME, p));
      Manifest.Parent link = new Manifest.Parent(p, btrfs.show(parentSnapshot).uuid());
      streams.add(
          stream(
              request.withParent(parentSnapshot),
              AssetNames.incrementalStream(NAME, v, p, zstd()),
              link,
              dir,
              partBytes));
    }
    Manifest manifest =
        new Manifest(
            Manifest.FORMAT,
            NAME,
            v,
            Instant.now(),
            expires,
            new Manifest.Source("0000000", version, "0".repeat(64)),
            new Manifest.Subvolume(btrfs.show(snapshot).uuid()),
            new Manifest.BtrfsInfo(protocol.version(), protocol.compressedData()),
            "op-dbus.service",
            new Manifest.Health("/usr/local/bin/health", 3),
            streams);
    Files.write(dir.resolve(AssetNames.manifest(NAME, v)), ManifestCodec.encode(manifest));
    seal(dir);
    return manifest;
  }

  /**
   * Publishes {@code version} whose only (full) stream is {@code stream}, zstd-compressed, for the
   * subvolume uuid {@code uuid}, declaring {@code declaredSize} uncompressed bytes: a release
   * signed with the trusted key whose stream is whatever a test crafted.
   */
  Manifest craftedRelease(String version, byte[] stream, java.util.UUID uuid, long declaredSize)
      throws Exception {
    Version v = Version.parse(version);
    Path dir = Files.createDirectories(store.resolve(version));
    Path file = dir.resolve(AssetNames.fullStream(NAME, v, zstd()));
    try (OutputStream out = new ZstdOutputStream(Files.newOutputStream(file), 3)) {
      out.write(stream);
    }
    Manifest.Stream full =
        new Manifest.Stream(
            Manifest.Stream.FULL, null, "zstd:3", List.of(streamFile(file)), declaredSize);
    Manifest manifest =
        new Manifest(
            Manifest.FORMAT,
            NAME,
            v,
            Instant.now(),
            null,
            new Manifest.Source("0000000", version, "0".repeat(64)),
            new Manifest.Subvolume(uuid.toString()),
            new Manifest.BtrfsInfo(1, false),
            "op-dbus.service",
            new Manifest.Health("/usr/local/bin/health", 3),
            List.of(full));
    Files.write(dir.resolve(AssetNames.manifest(NAME, v)), ManifestCodec.encode(manifest));
    seal(dir);
    return manifest;
  }

  /** Rewrites SHA256SUMS over every other file in {@code dir} and signs it. */
  /**
   * Rewrites the manifest of {@code version} in the store with {@code change} and seals the release
   * again with the trusted key: what a compromised or buggy build would publish.
   */
  void rewriteManifest(String version, UnaryOperator<Manifest> change) throws Exception {
    Path dir = store().resolve(version);
    Path file = dir.resolve(AssetNames.manifest(NAME, Version.parse(version)));
    Manifest m = change.apply(ManifestCodec.decode(Files.readAllBytes(file), file.toString()));
    Files.write(file, ManifestCodec.encode(m));
    seal(dir);
  }

  /** {@code m} with {@code streams} instead of its own. */
  static Manifest withStreams(Manifest m, List<Manifest.Stream> streams) {
    return new Manifest(
        m.format(),
        m.name(),
        m.version(),
        m.created(),
        m.expires(),
        m.source(),
        m.subvolume(),
        m.btrfs(),
        m.service(),
        m.health(),
        streams,
        m.serviceAccount());
  }

  /**
   * {@code m} with each stream's declared uncompressed size changed by {@code delta} where {@code
   * which} holds.
   */
  static Manifest withStreamSizes(Manifest m, Predicate<Manifest.Stream> which, long delta) {
    return withStreams(
        m,
        m.streams().stream()
            .map(
                s ->
                    which.test(s)
                        ? new Manifest.Stream(
                            s.kind(),
                            s.parent(),
                            s.compression(),
                            s.files(),
                            s.streamSize() + delta)
                        : s)
            .toList());
  }

  void seal(Path dir) throws Exception {
    Map<String, String> sums = new TreeMap<>();
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (!name.equals(AssetNames.SHA256SUMS) && !name.equals(AssetNames.SHA256SUMS_SIGNATURE)) {
          sums.put(name, Sha256.ofFile(file));
        }
      }
    }
    Files.writeString(dir.resolve(AssetNames.SHA256SUMS), Checksums.render(sums));
    ReleaseSigner.of(Secret.of(armoredSecretKey), null, null).sign(dir);
  }

  private static org.opdeploy.manifest.Compression zstd() {
    return org.opdeploy.manifest.Compression.zstd(3);
  }

  private Manifest.Stream stream(
      SendRequest request, String fileName, Manifest.Parent parent, Path dir, long partBytes)
      throws Exception {
    Path whole = dir.resolve(fileName);
    long[] raw = new long[1];
    btrfs.send(
        request,
        in -> {
          try (OutputStream out = new ZstdOutputStream(Files.newOutputStream(whole), 3)) {
            raw[0] = in.transferTo(out);
          }
        });
    List<Manifest.StreamFile> files = new ArrayList<>();
    if (partBytes <= 0 || Files.size(whole) <= partBytes) {
      files.add(streamFile(whole));
    } else {
      try (InputStream in = Files.newInputStream(whole)) {
        for (int i = 0; ; i++) {
          byte[] chunk = in.readNBytes((int) partBytes);
          if (chunk.length == 0) {
            break;
          }
          Path part = dir.resolve(AssetNames.part(fileName, i));
          Files.write(part, chunk);
          files.add(streamFile(part));
        }
      }
      Files.delete(whole);
    }
    String kind = parent == null ? Manifest.Stream.FULL : Manifest.Stream.INCREMENTAL;
    return new Manifest.Stream(kind, parent, "zstd:3", files, raw[0]);
  }

  private Manifest.StreamFile streamFile(Path file) throws IOException {
    String name = file.getFileName().toString();
    if (chunkBytes <= 0) {
      return new Manifest.StreamFile(name, Files.size(file), Sha256.ofFile(file));
    }
    List<String> chunks = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] chunk;
      while ((chunk = in.readNBytes((int) chunkBytes)).length > 0) {
        chunks.add(HexFormat.of().formatHex(sha256().digest(chunk)));
      }
    }
    return new Manifest.StreamFile(name, Files.size(file), Sha256.ofFile(file), chunkBytes, chunks);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
