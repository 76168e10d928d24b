package org.opdeploy.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opdeploy.deploy.activate.ActivationResult;
import org.opdeploy.deploy.layout.TargetSettings;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.progress.ProgressEvent;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.seal.ThrowawayKey;
import org.opdeploy.store.DirectoryStore;
import org.opdeploy.version.Version;

/**
 * Drives the target agent from a command line until the CLI lands in main: the benchmark script and
 * the kill -9 test run it in a child JVM.
 *
 * <pre>
 * deploy   ROOT KEYS STORE VERSION [--slow-receive]   fetch + verify + receive from dir:STORE
 * activate ROOT KEYS VERSION MOUNT OVERLAY
 * rollback ROOT KEYS MOUNT OVERLAY ROUNDS              toggles rollback, prints switch times (ms)
 * status   ROOT KEYS
 * target   ROOT KEYS MOUNT OVERLAY COMMAND [ARGS]      one target command the way the CLI runs it (service
 *                                                     none): upgrade STORE V | deploy STORE V | activate V |
 *                                                     rollback V | prune KEEP | recover | status; a failure
 *                                                     prints "opdeploy: error: MESSAGE" and exits with its code;
 *                                                     warnings and notes go to stderr
 * publish  POOL KEYS STORE VERSION [PARENT]          snapshot POOL's golden, send, seal (throw-away key
 *                                                     written to KEYS on first use)
 * </pre>
 */
public final class DeployMain {
  private DeployMain() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("target")) {
      try {
        target(args);
      } catch (OpdeployException e) {
        System.err.println("opdeploy: error: " + e.getMessage());
        System.exit(e.exitCode().code());
      }
      return;
    }
    Path root = Path.of(args[1]);
    Path keys = Path.of(args[2]);
    TargetSettings settings =
        TargetSettings.defaults()
            .withRoot(root)
            .withTrustedKeys(keys)
            .withService(TargetSettings.ServiceMode.NONE);
    if (args[0].equals("publish")) {
      publish(args);
      return;
    }
    switch (args[0]) {
      case "deploy" -> {
        boolean slow = args.length > 5 && args[5].equals("--slow-receive");
        long start = System.nanoTime();
        var result =
            agent(settings, slow ? new SlowReceive() : new StepTimes(start))
                .deploy(Version.parse(args[4]), new DirectoryStore(Path.of(args[3])), false);
        System.out.printf(
            "deployed %s in %.3f s (%d stream bytes)%n",
            result.version(), (System.nanoTime() - start) / 1e9, result.streamBytes());
      }
      case "activate" ->
          agent(
                  settings.withMount(Path.of(args[4])).withOverlay(Path.of(args[5])),
                  ProgressListener.NONE)
              .activate(Version.parse(args[3]));
      case "rollback" -> {
        TargetAgent agent =
            agent(
                settings.withMount(Path.of(args[3])).withOverlay(Path.of(args[4])),
                ProgressListener.NONE);
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < Integer.parseInt(args[5]); i++) {
          long start = System.nanoTime();
          ActivationResult result = agent.rollback(Optional.empty());
          millis.add((System.nanoTime() - start) / 1e6);
          System.out.printf(
              "rollback to %s: %.1f ms (switch %.1f ms)%n",
              result.version(), millis.get(i), result.switchTime().toNanos() / 1e6);
        }
        List<Double> sorted = millis.stream().sorted().toList();
        System.out.printf("rollback median %.1f ms%n", sorted.get(sorted.size() / 2));
      }
      case "status" -> {
        long start = System.nanoTime();
        var status = agent(settings, ProgressListener.NONE).status();
        System.out.printf("status in %.1f ms: %s%n", (System.nanoTime() - start) / 1e6, status);
      }
      default -> throw new IllegalArgumentException("unknown command " + args[0]);
    }
  }

  private static void target(String[] args) throws Exception {
    TargetSettings settings =
        TargetSettings.defaults()
            .withRoot(Path.of(args[1]))
            .withTrustedKeys(Path.of(args[2]))
            .withMount(Path.of(args[3]))
            .withOverlay(Path.of(args[4]))
            .withService(TargetSettings.ServiceMode.NONE);
    TargetAgent agent = agent(settings, new Lines());
    String[] rest = java.util.Arrays.copyOfRange(args, 6, args.length);
    Object result =
        switch (args[5]) {
          case "upgrade" ->
              agent.upgrade(Version.parse(rest[1]), new DirectoryStore(Path.of(rest[0])), false);
          case "deploy" ->
              agent.deploy(Version.parse(rest[1]), new DirectoryStore(Path.of(rest[0])), false);
          case "activate" -> agent.activate(Version.parse(rest[0]));
          case "rollback" -> agent.rollback(Optional.of(Version.parse(rest[0])));
          case "prune" -> agent.prune(Integer.parseInt(rest[0]));
          case "recover" -> agent.recover();
          case "status" -> agent.status();
          default -> throw new IllegalArgumentException("unknown target command " + args[5]);
        };
    System.out.println(result);
  }

  /** Warnings and notes as lines on stderr, the way the CLI prints them. */
  private static final class Lines implements ProgressListener {
    @Override
    public void warn(String line) {
      System.err.println("warning: " + line);
    }

    @Override
    public void info(String line) {
      System.err.println(line);
    }
  }

  private static void publish(String[] args) throws Exception {
    Path publicKey = Path.of(args[2]);
    Path secretKey = Path.of(args[2] + ".secret");
    if (!Files.exists(secretKey)) {
      ThrowawayKey key = ThrowawayKey.generate("opdeploy bench <bench@example.invalid>");
      Files.writeString(publicKey, key.armoredPublicKey());
      Files.writeString(secretKey, key.armoredSecretKey());
    }
    ReleaseFactory factory =
        new ReleaseFactory(Path.of(args[1]), Path.of(args[3]), Files.readString(secretKey));
    // As `opdeploy send` does: a chunk index, so that targets stream and prove chunk by chunk.
    factory.withChunkIndex(org.opdeploy.manifest.ChunkIndex.CHUNK_BYTES);
    long start = System.nanoTime();
    factory.release(args[4], args.length > 5 ? args[5] : null, null, 0);
    System.out.printf("published %s in %.1f s%n", args[4], (System.nanoTime() - start) / 1e9);
  }

  private static TargetAgent agent(TargetSettings settings, ProgressListener progress)
      throws Exception {
    return TargetAgent.forHost(settings, progress, Duration.ofSeconds(30));
  }

  /** Prints when each step starts and ends, to stderr, so a benchmark shows where time goes. */
  private static final class StepTimes implements ProgressListener {
    private final long start;

    StepTimes(long start) {
      this.start = start;
    }

    @Override
    public void stepStarted(String name) {
      System.err.printf("%7.3f s  start %s%n", (System.nanoTime() - start) / 1e9, name);
    }

    @Override
    public void stepFinished(String name) {
      System.err.printf("%7.3f s  done  %s%n", (System.nanoTime() - start) / 1e9, name);
    }
  }

  /**
   * Holds the receive back (each progress event is 16 MiB) so a test can kill the JVM mid-receive.
   */
  private static final class SlowReceive implements ProgressListener {
    @Override
    public void progress(ProgressEvent event) {
      if (event.task().startsWith("receive") && !event.finished()) {
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
