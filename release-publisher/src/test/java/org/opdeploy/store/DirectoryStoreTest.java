package org.opdeploy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.ExitCode;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.error.VerificationException;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.seal.ReleaseSigner;
import org.opdeploy.seal.ReleaseVerifier;
import org.opdeploy.seal.SealReleaseStep;
import org.opdeploy.seal.ThrowawayKey;
import org.opdeploy.testing.SampleRelease;
import org.opdeploy.version.Version;

class DirectoryStoreTest {
  private static ThrowawayKey key;
  private static ReleaseSigner signer;

  @TempDir Path tmp;

  @BeforeAll
  static void key() throws Exception {
    key = ThrowawayKey.generate("Release <release@example.org>");
    signer =
        ReleaseSigner.fromEnvironment(Map.of("OPDEPLOY_SIGNING_KEY", key.armoredSecretKey()), null);
  }

  private Path sealed(String name, String version, int parts, int size) throws Exception {
    Path dir = SampleRelease.write(tmp.resolve(name), "op-dbus", version, parts, size);
    new SealReleaseStep(dir, signer).run();
    return dir;
  }

  private static PublishRequest request(String version, Path dir) throws Exception {
    return new PublishRequest(
        Version.parse(version), dir, version, "notes for " + version, false, false);
  }

  @Test
  void publishedReleaseVerifiesAndIsListed() throws Exception {
    Path source = sealed("out", "v1.0.0", 2, 10_000);
    Files.writeString(source.resolve(".scratch"), "hidden files are not assets");
    DirectoryStore store = new DirectoryStore(tmp.resolve("store"));
    PublishResult result = store.publish(request("v1.0.0", source), ProgressListener.NONE);
    assertThat(result.uploaded())
        .contains("SHA256SUMS", "SHA256SUMS.asc", "op-dbus-v1.0.0.manifest.json");
    assertThat(result.skipped()).isEmpty();
    Path published = tmp.resolve("store/v1.0.0");
    assertThat(new ReleaseVerifier(key.trustedKeys()).verify(published, true).signerFingerprint())
        .isEqualTo(key.fingerprint());
    assertThat(published.resolve(".scratch")).doesNotExist();
    assertThat(store.versions()).containsExactly(Version.parse("v1.0.0"));
    assertThat(store.assets(Version.parse("v1.0.0")))
        .extracting(RemoteAsset::name)
        .containsExactlyElementsOf(result.uploaded().stream().sorted().toList());
    assertThat(tmp.resolve("store/v1.0.0.notes.md")).hasContent("notes for v1.0.0");
    try (var entries = Files.list(tmp.resolve("store"))) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("v1.0.0", "v1.0.0.notes.md", "VERSIONS");
    }
    assertThat(tmp.resolve("store/VERSIONS"))
        .as("the index an https:// mirror is listed by")
        .hasContent("v1.0.0");
  }

  @Test
  void publishingTheSameContentAgainIsANoOp() throws Exception {
    Path source = sealed("out", "v1.0.0", 1, 5000);
    DirectoryStore store = new DirectoryStore(tmp.resolve("store"));
    store.publish(request("v1.0.0", source), ProgressListener.NONE);
    new SealReleaseStep(source, signer).run(); // a fresh signature over the same SHA256SUMS
    PublishResult again = store.publish(request("v1.0.0", source), ProgressListener.NONE);
    assertThat(again.uploaded()).isEmpty();
    assertThat(again.skipped()).contains("SHA256SUMS", "op-dbus-v1.0.0.send.zst");
  }

  @Test
  void differentContentForAPublishedVersionIsRefusedNamingTheFile() throws Exception {
    DirectoryStore store = new DirectoryStore(tmp.resolve("store"));
    store.publish(request("v1.0.0", sealed("a", "v1.0.0", 1, 5000)), ProgressListener.NONE);
    Path other = sealed("b", "v1.0.0", 1, 6000);
    assertThatThrownBy(() -> store.publish(request("v1.0.0", other), ProgressListener.NONE))
        .isInstanceOfSatisfying(
            OpdeployException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED))
        .hasMessageContaining("already holds v1.0.0")
        .hasMessageContaining("op-dbus-v1.0.0.manifest.json differs");
  }

  @Test
  void failureMidwayLeavesNothingAtTheVersionPath() throws Exception {
    Path source = sealed("out", "v1.0.0", 3, 20_000);
    Path part = source.resolve("op-dbus-v1.0.0.send.zst.part002");
    byte[] bytes = Files.readAllBytes(part);
    bytes[0] ^= 1;
    Files.write(part, bytes);
    Path root = tmp.resolve("store");
    assertThatThrownBy(
            () ->
                new DirectoryStore(root).publish(request("v1.0.0", source), ProgressListener.NONE))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("part002");
    assertThat(root.resolve("v1.0.0")).doesNotExist();
    try (var entries = Files.list(root)) {
      assertThat(entries).isEmpty();
    }
  }

  @Test
  void readersNeverSeeAHalfPublishedRelease() throws Exception {
    Path source = sealed("out", "v2.0.0", 4, 8 << 20);
    Path root = tmp.resolve("store");
    Files.createDirectories(root);
    Path target = root.resolve("v2.0.0");
    List<String> expected = new ArrayList<>();
    try (var files = Files.list(source)) {
      files.map(p -> p.getFileName().toString()).forEach(expected::add);
    }
    AtomicBoolean done = new AtomicBoolean();
    List<String> violations = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              while (!done.get()) {
                if (Files.isDirectory(target)) {
                  try (var files = Files.list(target)) {
                    List<String> seen = files.map(p -> p.getFileName().toString()).toList();
                    if (!seen.containsAll(expected)) {
                      violations.add("saw " + seen);
                    }
                    for (String name : expected) {
                      if (Files.size(target.resolve(name)) != Files.size(source.resolve(name))) {
                        violations.add(name + " short");
                      }
                    }
                  } catch (Exception e) {
                    violations.add(e.toString());
                  }
                }
              }
            });
    reader.start();
    new DirectoryStore(root).publish(request("v2.0.0", source), ProgressListener.NONE);
    done.set(true);
    reader.join();
    assertThat(violations).isEmpty();
  }

  @Test
  void downloadResumesAfterTheBytesAlreadyThere() throws Exception {
    DirectoryStore store = new DirectoryStore(tmp.resolve("store"));
    store.publish(request("v1.0.0", sealed("out", "v1.0.0", 1, 100_000)), ProgressListener.NONE);
    RemoteAsset asset =
        store.assets(Version.parse("v1.0.0")).stream()
            .filter(a -> a.name().equals("op-dbus-v1.0.0.send.zst"))
            .findFirst()
            .orElseThrow();
    assertThat(asset.size()).isEqualTo(100_000);
    assertThat(asset.sha256()).hasSize(64);
    byte[] full = Files.readAllBytes(tmp.resolve("out/op-dbus-v1.0.0.send.zst"));
    Path partial = tmp.resolve("asset.partial");
    Files.write(partial, java.util.Arrays.copyOf(full, 30_000));
    List<Long> reported = new ArrayList<>();
    store.download(
        Version.parse("v1.0.0"),
        asset,
        partial,
        new ProgressListener() {
          @Override
          public void progress(org.opdeploy.progress.ProgressEvent event) {
            reported.add(event.done());
          }
        });
    assertThat(Files.readAllBytes(partial)).isEqualTo(full);
    assertThat(reported).last().isEqualTo(100_000L);
  }

  @Test
  void unknownVersionIsAClearFailure() {
    DirectoryStore store = new DirectoryStore(tmp.resolve("nowhere"));
    assertThatThrownBy(() -> store.assets(Version.parse("v9.9.9")))
        .hasMessageContaining("no release v9.9.9");
    assertThatThrownBy(store::versions).hasMessageContaining("dir:");
  }

  @Test
  void publishStepRefusesAnUnsignedReleaseWhenASignatureIsRequired() throws Exception {
    Path source = SampleRelease.write(tmp.resolve("out"), "op-dbus", "v1.0.0", 1, 1000);
    new SealReleaseStep(source, null).run();
    DirectoryStore store = new DirectoryStore(tmp.resolve("store"));
    assertThatThrownBy(
            () ->
                new PublishReleaseStep(
                        store,
                        request("v1.0.0", source),
                        key.trustedKeys(),
                        true,
                        ProgressListener.NONE)
                    .run())
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("SHA256SUMS.asc is missing");
    assertThat(tmp.resolve("store")).doesNotExist();
  }

  @Test
  void publishStepRefusesAFolderHoldingAnotherVersion() throws Exception {
    Path source = sealed("out", "v1.0.0", 1, 1000);
    DirectoryStore store = new DirectoryStore(tmp.resolve("store"));
    assertThatThrownBy(
            () ->
                new PublishReleaseStep(
                        store,
                        request("v1.0.1", source),
                        key.trustedKeys(),
                        true,
                        ProgressListener.NONE)
                    .run())
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("holds release v1.0.0, not v1.0.1");
  }

  @Test
  void publishStepPublishesAVerifiedRelease() throws Exception {
    Path source = sealed("out", "v1.0.0", 2, 1000);
    DirectoryStore store = new DirectoryStore(tmp.resolve("store"));
    PublishResult result =
        new PublishReleaseStep(
                store, request("v1.0.0", source), signer.certificate(), true, ProgressListener.NONE)
            .run();
    assertThat(result.uploaded()).hasSize(7).contains("SHA256SUMS.asc");
  }
}
