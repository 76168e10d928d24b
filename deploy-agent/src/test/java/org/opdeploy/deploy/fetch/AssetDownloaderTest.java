package org.opdeploy.deploy.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.error.VerificationException;
import org.opdeploy.http.RetryPolicy;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.store.ReleaseSource;
import org.opdeploy.store.RemoteAsset;
import org.opdeploy.version.Version;

class AssetDownloaderTest {
  private static final RemoteAsset ASSET = new RemoteAsset("op-dbus-v1.0.0.send.zst", 10, "00");
  private static final RetryPolicy THREE_TRIES = RetryPolicy.of(3, Duration.ZERO);
  @TempDir Path dir;

  @Test
  void retriesASourceThatDoesNotRetryItself() {
    FailingSource source = new FailingSource(false, new OpdeployException("connection reset"));

    assertThatThrownBy(() -> downloader(source).download(Version.parse("v1.0.0"), ASSET, dir, null))
        .hasMessageContaining("connection reset");
    assertThat(source.calls).hasValue(3);
  }

  @Test
  void triesARetryingSourceOnceSoRetriesDoNotMultiply() {
    FailingSource source =
        new FailingSource(true, new OpdeployException("HTTP 503 after 6 attempts"));

    assertThatThrownBy(() -> downloader(source).download(Version.parse("v1.0.0"), ASSET, dir, null))
        .hasMessageContaining("after 6 attempts");
    assertThat(source.calls).hasValue(1);
  }

  @Test
  void neverRetriesAVerificationFailure() {
    FailingSource source = new FailingSource(false, new VerificationException("wrong size"));

    assertThatThrownBy(() -> downloader(source).download(Version.parse("v1.0.0"), ASSET, dir, null))
        .isInstanceOf(VerificationException.class);
    assertThat(source.calls).hasValue(1);
    assertThat(dir.resolve(ASSET.name())).doesNotExist();
  }

  @Test
  void refusesAnAssetNameThatWouldLeaveTheCacheFolder() {
    FailingSource source = new FailingSource(false, new OpdeployException("never reached"));
    Path cache = dir.resolve("cache");
    for (String name : new String[] {"../escape", "sub/file", ".hidden", ".."}) {
      RemoteAsset asset = new RemoteAsset(name, 1, "00");

      assertThatThrownBy(
              () -> downloader(source).download(Version.parse("v1.0.0"), asset, cache, null))
          .as(name)
          .isInstanceOf(VerificationException.class)
          .hasMessageContaining("invalid asset name");
    }
    assertThat(source.calls).hasValue(0);
    assertThat(dir.resolve("escape")).doesNotExist();
  }

  private static AssetDownloader downloader(ReleaseSource source) {
    return new AssetDownloader(source, ProgressListener.NONE, THREE_TRIES);
  }

  /** Writes a byte, then fails, on every call. */
  private static final class FailingSource implements ReleaseSource {
    final AtomicInteger calls = new AtomicInteger();
    private final boolean retries;
    private final OpdeployException failure;

    FailingSource(boolean retries, OpdeployException failure) {
      this.retries = retries;
      this.failure = failure;
    }

    @Override
    public String describe() {
      return "test:failing";
    }

    @Override
    public List<RemoteAsset> assets(Version version) {
      return List.of(ASSET);
    }

    @Override
    public void download(
        Version version, RemoteAsset asset, Path partial, ProgressListener progress)
        throws OpdeployException {
      calls.incrementAndGet();
      try {
        Files.write(partial, new byte[] {1}, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new OpdeployException(e.getMessage(), e);
      }
      throw failure;
    }

    @Override
    public boolean retriesDownloads() {
      return retries;
    }

    @Override
    public List<Version> versions() {
      return List.of();
    }
  }
}
