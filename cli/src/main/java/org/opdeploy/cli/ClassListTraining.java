package org.opdeploy.cli;

import com.github.luben.zstd.Zstd;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.opdeploy.build.BuildAgent;
import org.opdeploy.hash.Sha256;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.manifest.Compression;
import org.opdeploy.manifest.Manifest;
import org.opdeploy.manifest.ManifestCodec;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.seal.ReleaseSigner;
import org.opdeploy.seal.ThrowawayKey;
import org.opdeploy.secret.Secret;
import org.opdeploy.version.Version;

/**
 * The run the launcher records, once per jar, the classes of ({@code -XX:DumpLoadedClassList}) to
 * build its class-data archive: {@code status} on an empty root, then {@code verify} of a tiny
 * release signed with a throw-away key, so that the archive also holds what proving a release loads
 * (OpenPGP, manifests, hashing, zstd), which deploy, upgrade, fetch and verify all need. Nothing
 * here is trusted or kept. When a stage fails, this fails and the launcher keeps no archive (the
 * jar then starts without one). Usage: {@code java -cp opdeploy.jar
 * org.opdeploy.cli.ClassListTraining EMPTY_FOLDER}.
 */
public final class ClassListTraining {
  private static final String NAME = "training";
  private static final String VERSION = "v0.0.1";

  private ClassListTraining() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    run("--json", "--root", work.resolve("root").toString(), "status");
    Path release = writeRelease(work.resolve("release"));
    ThrowawayKey key =
        ThrowawayKey.generate("opdeploy class-list training <training@opdeploy.invalid>");
    BuildAgent.sealFolder(
        release,
        ReleaseSigner.of(Secret.of(key.armoredSecretKey()), null, null),
        ProgressListener.NONE);
    Path trusted = Files.writeString(work.resolve("trusted.asc"), key.armoredPublicKey());
    run("--json", "verify", release.toString(), "--trusted-keys", trusted.toString());
  }

  /** Runs a command line quietly; a failure is thrown, so the launcher keeps no archive of it. */
  private static void run(String... args) {
    PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
    int exit = Main.run(args, Map.of(), discard, discard);
    if (exit != 0) {
      throw new IllegalStateException(
          "training run 'opdeploy " + String.join(" ", args) + "' exited " + exit);
    }
  }

  /** A release folder as {@code send} leaves one, around a zstd frame of a few bytes. */
  private static Path writeRelease(Path dir) throws Exception {
    Files.createDirectories(dir);
    Version version = Version.parse(VERSION);
    String stream = AssetNames.fullStream(NAME, version, Compression.zstd(3));
    byte[] bytes = Zstd.compress("not a send stream".getBytes(StandardCharsets.UTF_8));
    Files.write(dir.resolve(stream), bytes);
    String sha256 = Sha256.of(bytes);
    Manifest manifest =
        new Manifest(
            Manifest.FORMAT,
            NAME,
            version,
            Instant.now(),
            null,
            new Manifest.Source("0000000", VERSION, sha256),
            new Manifest.Subvolume("00000000-0000-4000-8000-000000000000"),
            new Manifest.BtrfsInfo(1, false),
            null,
            new Manifest.Health("/bin/true", 1),
            List.of(
                new Manifest.Stream(
                    Manifest.Stream.FULL,
                    null,
                    "zstd:3",
                    List.of(new Manifest.StreamFile(stream, bytes.length, sha256)),
                    bytes.length)));
    Files.write(dir.resolve(AssetNames.manifest(NAME, version)), ManifestCodec.encode(manifest));
    return dir;
  }
}
