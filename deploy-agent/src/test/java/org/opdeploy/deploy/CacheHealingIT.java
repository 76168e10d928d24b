package org.opdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.deploy.release.FetchedRelease;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.AssetNames;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.store.DirectoryStore;
import org.opdeploy.store.ReleaseSource;
import org.opdeploy.store.RemoteAsset;
import org.opdeploy.version.Version;

/**
 * Caches that heal (issue 10, items 9 and 10): what is in {@code cache/V/} is reused only when it
 * matches this run's proven SHA256SUMS, a bad file is fetched again once, a refused release leaves
 * nothing behind, and {@code fetch} proves every byte before it reports success.
 */
class CacheHealingIT {
  private static final String V2 = "v2.0.0";
  private static final String STREAM = "op-dbus-v2.0.0.send.zst";

  @TempDir Path tempDir;
  private TargetFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = new TargetFixture(tempDir, 512);
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  private Path cache(String version) throws Exception {
    return fx.layout().cache(Version.parse(version));
  }

  private Path stored(String version, String name) {
    return fx.releases.store().resolve(version).resolve(name);
  }

  @Test
  void corruptedCachedSha256sumsIsFetchedAfreshInsteadOfFailingEveryRun() throws Exception {
    fx.publish(V2, null);
    fx.agent().fetch(Version.parse(V2), fx.source, false);
    flipByte(cache(V2).resolve(AssetNames.SHA256SUMS), 3);

    fx.agent().deploy(Version.parse(V2), fx.source, false);

    assertThat(fx.deployment(V2)).isDirectory();
    assertThat(cache(V2).resolve(AssetNames.SHA256SUMS))
        .hasSameBinaryContentAs(stored(V2, AssetNames.SHA256SUMS));
    assertNoPartials();
  }

  @Test
  void cachedIndexFromAnotherSourceIsNotReused() throws Exception {
    fx.publish(V2, null);
    fx.agent().fetch(Version.parse(V2), fx.source, false);
    // A copy of the store holding the same release; the cache now disagrees with it in one byte.
    Path mirror = copyOfStore("mirror");
    flipByte(cache(V2).resolve(AssetNames.manifest(ReleaseFactory.NAME, Version.parse(V2))), 10);

    FetchedRelease fetched = fx.agent().fetch(Version.parse(V2), new DirectoryStore(mirror), false);

    assertThat(fetched.source()).isEqualTo("dir:" + mirror);
    assertThat(cache(V2).resolve(AssetNames.manifest(ReleaseFactory.NAME, Version.parse(V2))))
        .hasSameBinaryContentAs(
            stored(V2, AssetNames.manifest(ReleaseFactory.NAME, Version.parse(V2))));
  }

  @Test
  void cachedStreamThatNoLongerMatchesIsFetchedAgain() throws Exception {
    fx.publish(V2, null);
    fx.agent().fetch(Version.parse(V2), fx.source, false);
    Path cached = cache(V2).resolve(STREAM);
    flipByte(cached, Files.size(cached) / 2);
    List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();

    fx.agent(warningsTo(warnings)).deploy(Version.parse(V2), fx.source, false);

    assertThat(fx.deployment(V2)).isDirectory();
    assertThat(warnings)
        .anyMatch(w -> w.contains("cached " + STREAM + " does not match its SHA-256"));
    assertNoPartials();
  }

  @Test
  void corruptedPartialIsDroppedAndTheFileFetchedAgainFromTheStart() throws Exception {
    fx.publish(V2, null);
    Path store = stored(V2, STREAM);
    byte[] garbage = new byte[(int) (Files.size(store) / 2)];
    new java.util.Random(7).nextBytes(garbage);
    Files.createDirectories(cache(V2));
    Files.write(cache(V2).resolve(STREAM + ".partial"), garbage);

    fx.agent().fetch(Version.parse(V2), fx.source, false);

    assertThat(cache(V2).resolve(STREAM)).hasSameBinaryContentAs(store);
    assertNoPartials();
  }

  @Test
  void sourceServingBadBytesTwiceIsRefusedAndNothingIsKept() throws Exception {
    fx.publish(V2, null);
    CorruptingSource bad =
        new CorruptingSource(new DirectoryStore(fx.releases.store()), STREAM, Integer.MAX_VALUE);

    assertThatThrownBy(() -> fx.agent().fetch(Version.parse(V2), bad, false))
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining(
            STREAM + " does not match its SHA-256 in SHA256SUMS, fetched twice from")
        .satisfies(
            e ->
                assertThat(((OpdeployException) e).exitCode())
                    .isEqualTo(ExitCode.VERIFICATION_FAILED));

    assertThat(bad.downloads.get()).isEqualTo(2);
    assertThat(cache(V2)).doesNotExist();
  }

  @Test
  void sourceServingBadBytesOnceHealsOnTheSecondTry() throws Exception {
    fx.publish(V2, null);
    CorruptingSource flaky =
        new CorruptingSource(new DirectoryStore(fx.releases.store()), STREAM, 1);

    fx.agent().fetch(Version.parse(V2), flaky, false);

    assertThat(cache(V2).resolve(STREAM)).hasSameBinaryContentAs(stored(V2, STREAM));
  }

  @Test
  void fetchIsNotVerifiedUntilTheStreamBytesAreProven() throws Exception {
    fx.publish(V2, null);
    Path store = stored(V2, STREAM);
    flipByte(store, Files.size(store) / 3);

    assertThatThrownBy(() -> fx.agent().fetch(Version.parse(V2), fx.source, false))
        .isInstanceOf(OpdeployException.class)
        .hasMessageContaining(STREAM + " does not match its SHA-256 in SHA256SUMS")
        .satisfies(
            e ->
                assertThat(((OpdeployException) e).exitCode())
                    .isEqualTo(ExitCode.VERIFICATION_FAILED));
    assertThat(cache(V2)).doesNotExist();
  }

  @Test
  void refusedDowngradeIsNotLeftInTheCache() throws Exception {
    fx.publish("v1.0.0", null);
    fx.publish(V2, "v1.0.0");
    fx.agent().deploy(Version.parse(V2), fx.source, false);
    fx.publish("v1.5.0", V2);

    assertThatThrownBy(() -> fx.agent().fetch(Version.parse("v1.5.0"), fx.source, false))
        .hasMessageContaining("older than v2.0.0")
        .satisfies(
            e ->
                assertThat(((OpdeployException) e).exitCode())
                    .isEqualTo(ExitCode.VERIFICATION_FAILED));

    assertThat(cache("v1.5.0")).doesNotExist();
  }

  @Test
  void refusingADeployedVersionKeepsItsProvenIndex() throws Exception {
    fx.publish("v1.0.0", null);
    fx.agent().deploy(Version.parse("v1.0.0"), fx.source, false);
    fx.publish(V2, "v1.0.0");
    fx.agent().deploy(Version.parse(V2), fx.source, false);
    Path manifest =
        cache("v1.0.0").resolve(AssetNames.manifest(ReleaseFactory.NAME, Version.parse("v1.0.0")));
    byte[] before = Files.readAllBytes(manifest);

    assertThatThrownBy(() -> fx.agent().fetch(Version.parse("v1.0.0"), fx.source, false))
        .satisfies(
            e ->
                assertThat(((OpdeployException) e).exitCode())
                    .isEqualTo(ExitCode.VERIFICATION_FAILED));

    assertThat(Files.readAllBytes(manifest)).isEqualTo(before);
    assertThat(cache("v1.0.0").resolve(".incoming")).doesNotExist();
  }

  private Path copyOfStore(String name) throws Exception {
    Path copy = tempDir.resolve(name);
    try (Stream<Path> walk = Files.walk(fx.releases.store())) {
      for (Path p : walk.toList()) {
        Path to = copy.resolve(fx.releases.store().relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    return copy;
  }

  private void assertNoPartials() throws Exception {
    try (Stream<Path> all = Files.walk(fx.layout().cacheRoot())) {
      assertThat(all.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.endsWith(".partial") || n.equals(".incoming"));
    }
  }

  private static ProgressListener warningsTo(List<String> warnings) {
    return new ProgressListener() {
      @Override
      public void progress(org.opdeploy.progress.ProgressEvent event) {}

      @Override
      public void warn(String line) {
        warnings.add(line);
      }
    };
  }

  static void flipByte(Path file, long offset) throws Exception {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      int b = raf.read();
      raf.seek(offset);
      raf.write(b ^ 0x01);
    }
  }

  /**
   * A mirror that serves one asset with a flipped byte for its first {@code badDownloads}
   * downloads.
   */
  private static final class CorruptingSource implements ReleaseSource {
    private final DirectoryStore store;
    private final String asset;
    private final int badDownloads;
    final AtomicInteger downloads = new AtomicInteger();

    CorruptingSource(DirectoryStore store, String asset, int badDownloads) {
      this.store = store;
      this.asset = asset;
      this.badDownloads = badDownloads;
    }

    @Override
    public String describe() {
      return "corrupting " + store.describe();
    }

    @Override
    public List<RemoteAsset> assets(Version version) throws OpdeployException {
      return store.assets(version);
    }

    @Override
    public void download(
        Version version, RemoteAsset remote, Path partial, ProgressListener progress)
        throws OpdeployException {
      if (!remote.name().equals(asset)) {
        store.download(version, remote, partial, progress);
        return;
      }
      // The bad byte is in what the mirror sends, as a tampered or broken mirror would send it.
      try {
        byte[] bytes = Files.readAllBytes(store.localFile(version, remote).orElseThrow());
        if (downloads.incrementAndGet() <= badDownloads) {
          bytes[bytes.length / 2] ^= 1;
        }
        Files.write(partial, bytes);
      } catch (java.io.IOException e) {
        throw new OpdeployException("cannot write " + partial + ": " + e.getMessage(), e);
      }
    }

    @Override
    public List<Version> versions() throws OpdeployException {
      return store.versions();
    }
  }
}
