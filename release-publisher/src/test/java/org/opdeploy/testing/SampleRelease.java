package org.opdeploy.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.manifest.Checksums;
import org.opdeploy.manifest.Compression;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.manifest.ManifestCodec;
import org.opdeploy.version.Version;

/**
 * Writes an unsealed release folder as {@code send} leaves it: a full zstd stream split into parts,
 * their {@code .sha256} files and the manifest. Content is pseudo-random, not a real stream.
 */
public final class SampleRelease {
  private SampleRelease() {}

  /**
   * A release of {@code name} {@code version} with {@code parts} parts of {@code partSize} bytes.
   */
  public static Path write(Path dir, String name, String version, int parts, int partSize)
      throws Exception {
    Files.createDirectories(dir);
    Version v = Version.parse(version);
    String stream = AssetNames.fullStream(name, v, Compression.zstd(3));
    Random random = new Random(version.hashCode() * 31L + parts);
    List<Manifest.StreamFile> files = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      String file = parts == 1 ? stream : AssetNames.part(stream, i);
      byte[] data = new byte[partSize];
      random.nextBytes(data);
      Files.write(dir.resolve(file), data);
      String sha = sha256(data);
      Files.writeString(
          dir.resolve(AssetNames.checksumOf(file)), Checksums.render(Map.of(file, sha)));
      files.add(new Manifest.StreamFile(file, data.length, sha));
    }
    Manifest manifest =
        new Manifest(
            Manifest.FORMAT,
            name,
            v,
            Instant.parse("2025-01-02T03:04:05Z"),
            null,
            new Manifest.Source(
                "0123456789abcdef0123456789abcdef01234567", version, sha256(new byte[0])),
            new Manifest.Subvolume("6f1c3a52-0000-4000-8000-000000000001"),
            new Manifest.BtrfsInfo(2, false),
            name + ".service",
            new Manifest.Health("/bin/true", 30),
            List.of(
                new Manifest.Stream(
                    Manifest.Stream.FULL, null, "zstd:3", files, (long) parts * partSize * 2)));
    Files.write(dir.resolve(AssetNames.manifest(name, v)), ManifestCodec.encode(manifest));
    return dir;
  }

  public static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  public static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
