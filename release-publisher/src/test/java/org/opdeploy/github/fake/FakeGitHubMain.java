package org.opdeploy.github.fake;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link FakeGitHub} for benchmarks and manual trials: {@code FakeGitHubMain STATE_FILE
 * [MAX_ASSET_BYTES]} seeds a draft release {@code bench} on {@code acme/op-dbus}, writes {@code
 * api=}, {@code upload=} (the draft's upload endpoint) and {@code token=} lines to STATE_FILE, and
 * serves until killed. The token is the fake's throw-away test token.
 */
public final class FakeGitHubMain {
  private FakeGitHubMain() {}

  public static void main(String[] args) throws Exception {
    long maxAssetBytes = args.length > 1 ? Long.parseLong(args[1]) : 2L << 30;
    FakeGitHub fake =
        FakeGitHub.start(FakeGitHub.Options.defaults().withMaxAssetBytes(maxAssetBytes));
    long id = fake.createRelease("acme/op-dbus", "bench", true);
    Path state = Path.of(args[0]);
    Path tmp = state.resolveSibling(state.getFileName() + ".tmp");
    Files.writeString(
        tmp,
        "api="
            + fake.apiUrl()
            + "\nupload="
            + fake.uploadOrigin()
            + "/repos/acme/op-dbus/releases/"
            + id
            + "/assets\ntoken="
            + fake.token()
            + "\n");
    Files.move(tmp, state);
    Runtime.getRuntime().addShutdownHook(new Thread(fake::close));
    new CountDownLatch(1).await();
  }
}
