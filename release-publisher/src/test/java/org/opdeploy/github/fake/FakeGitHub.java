package org.opdeploy.github.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A stateful fake of GitHub's Releases API on loopback, faithful to {@code
 * shared/github-api/releases-openapi.yaml}: releases with ids, drafts hidden from the by-tag lookup
 * and from readers without push access, pagination with {@code Link}, 422 {@code already_exists},
 * uploads on a different port (the {@code upload_url} host) that compute {@code digest}, {@code
 * starter} assets, the 2 GiB limit, immutable releases, auth (401/403), rate-limit headers, asset
 * downloads with Range, a request log and per-route fault injection.
 *
 * <pre>{@code
 * try (FakeGitHub github = FakeGitHub.start()) {
 *   github.inject(Route.UPLOAD_ASSET, Fault.badGatewayAfterStoring());
 *   ... GITHUB_API_URL=github.apiUrl(), GITHUB_TOKEN=github.token() ...
 * }
 * }</pre>
 */
public final class FakeGitHub implements AutoCloseable {
  /** Knobs for a test; {@link #defaults()} is GitHub's behaviour. */
  public record Options(
      String token, int maxPerPage, boolean immutableReleases, long maxAssetBytes) {
    public static Options defaults() {
      return new Options(null, 100, false, 2L << 30);
    }

    public Options withToken(String value) {
      return new Options(value, maxPerPage, immutableReleases, maxAssetBytes);
    }

    public Options withMaxPerPage(int value) {
      return new Options(token, value, immutableReleases, maxAssetBytes);
    }

    public Options withImmutableReleases(boolean value) {
      return new Options(token, maxPerPage, value, maxAssetBytes);
    }

    public Options withMaxAssetBytes(long value) {
      return new Options(token, maxPerPage, immutableReleases, value);
    }
  }

  enum Access {
    NONE,
    READ,
    WRITE
  }

  final Object lock = new Object();
  final Options options;
  final List<FakeRelease> releases = new ArrayList<>();

  /**
   * Git tags per repository ({@code owner/repo} lower-cased): publishing a release creates its tag,
   * deleting the release leaves it, as on GitHub.
   */
  final Map<String, java.util.Set<String>> tags = new java.util.HashMap<>();

  final AtomicLong ids = new AtomicLong(1000);
  final Path storage;
  private final String token;
  private final String readOnlyToken;
  private final Map<Route, Deque<Fault>> faults = new EnumMap<>(Route.class);
  private final List<RecordedRequest> log = new ArrayList<>();
  private final AtomicLong remaining = new AtomicLong(5000);
  private final HttpServer api;
  private final HttpServer uploads;
  private final ExecutorService executor;

  private FakeGitHub(Options options) throws IOException {
    this.options = options;
    this.token = options.token() != null ? options.token() : "ghp_fake" + randomHex(16);
    this.readOnlyToken = "ghp_read" + randomHex(16);
    this.storage = Files.createTempDirectory("fake-github-");
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fake-github");
              t.setDaemon(true);
              return t;
            });
    this.api = Exchanges.loopbackServer(64);
    this.uploads = Exchanges.loopbackServer(64);
    api.createContext("/", new ApiRoutes(this)::handle);
    uploads.createContext("/", new UploadRoutes(this)::handle);
    api.setExecutor(executor);
    uploads.setExecutor(executor);
    api.start();
    uploads.start();
  }

  public static FakeGitHub start() {
    return start(Options.defaults());
  }

  public static FakeGitHub start(Options options) {
    try {
      return new FakeGitHub(options);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The REST base, for {@code GITHUB_API_URL}. */
  public String apiUrl() {
    return "http://127.0.0.1:" + api.getAddress().getPort();
  }

  /** The origin of {@code upload_url} and of asset storage: a different port from the API. */
  public String uploadOrigin() {
    return "http://127.0.0.1:" + uploads.getAddress().getPort();
  }

  /** A token with push access ({@code contents: write}). */
  public String token() {
    return token;
  }

  /** A valid token without write permission: writes answer 403. */
  public String readOnlyToken() {
    return readOnlyToken;
  }

  /** Queues faults for the next requests to {@code route}, in order. */
  public void inject(Route route, Fault... queued) {
    synchronized (lock) {
      faults.computeIfAbsent(route, r -> new ArrayDeque<>()).addAll(List.of(queued));
    }
  }

  /** Drops every fault not consumed yet. */
  public void clearFaults() {
    synchronized (lock) {
      faults.clear();
    }
  }

  /** Faults not consumed yet on {@code route}. */
  public int pendingFaults(Route route) {
    synchronized (lock) {
      return faults.getOrDefault(route, new ArrayDeque<>()).size();
    }
  }

  public List<RecordedRequest> requests() {
    synchronized (lock) {
      return List.copyOf(log);
    }
  }

  public void clearRequests() {
    synchronized (lock) {
      log.clear();
    }
  }

  /** All releases of {@code ownerRepo}, oldest first, drafts included. */
  public List<FakeRelease.ReleaseView> releases(String ownerRepo) {
    synchronized (lock) {
      return releases.stream()
          .filter(r -> r.ownerRepo.equalsIgnoreCase(ownerRepo))
          .map(FakeRelease::view)
          .toList();
    }
  }

  /** Every release of {@code tag}, drafts included, oldest first: more than one is a duplicate. */
  public List<FakeRelease.ReleaseView> releasesTagged(String ownerRepo, String tag) {
    return releases(ownerRepo).stream().filter(r -> r.tag().equals(tag)).toList();
  }

  public Optional<FakeRelease.ReleaseView> release(String ownerRepo, String tag) {
    return releases(ownerRepo).stream().filter(r -> r.tag().equals(tag)).findFirst();
  }

  /** The repository's git tags, sorted. */
  public List<String> tags(String ownerRepo) {
    synchronized (lock) {
      return List.copyOf(
          tags.getOrDefault(ownerRepo.toLowerCase(java.util.Locale.ROOT), java.util.Set.of()));
    }
  }

  /** Seeds a release as if someone created it earlier. */
  public long createRelease(String ownerRepo, String tag, boolean draft) {
    synchronized (lock) {
      FakeRelease release = newRelease(ownerRepo, tag);
      release.draft = draft;
      if (!draft) {
        publish(release);
      }
      return release.id;
    }
  }

  /**
   * Seeds an asset on the release for {@code tag}: {@code state} {@code uploaded} gets the true
   * digest of {@code content} unless {@code digestOverride} is given; {@code starter} gets none.
   */
  public void putAsset(
      String ownerRepo,
      String tag,
      String name,
      byte[] content,
      String state,
      String digestOverride) {
    synchronized (lock) {
      FakeRelease release = find(ownerRepo, tag).orElseThrow();
      FakeAsset asset = new FakeAsset(ids.incrementAndGet(), name);
      try {
        asset.file = Files.write(storage.resolve("asset-" + asset.id), content);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      asset.state = state;
      asset.size = content.length;
      asset.digest =
          "uploaded".equals(state)
              ? (digestOverride != null ? digestOverride : "sha256:" + sha256(content))
              : null;
      release.assets.add(asset);
    }
  }

  /** The stored bytes of an asset. */
  public byte[] assetBytes(String ownerRepo, String tag, String name) {
    synchronized (lock) {
      FakeAsset asset = find(ownerRepo, tag).orElseThrow().asset(name);
      try {
        return Files.readAllBytes(asset.file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Removes stored assets (benchmarks use this to free disk between runs). */
  public void deleteAllAssets() {
    synchronized (lock) {
      for (FakeRelease release : releases) {
        for (FakeAsset asset : release.assets) {
          deleteQuietly(asset.file);
        }
        release.assets.clear();
      }
    }
  }

  @Override
  public void close() {
    api.stop(0);
    uploads.stop(0);
    executor.shutdownNow();
    try (Stream<Path> files = Files.walk(storage)) {
      files.sorted(Comparator.reverseOrder()).forEach(FakeGitHub::deleteQuietly);
    } catch (IOException e) {
      // best effort: the folder is under the system temp dir
    }
  }

  // ---- shared by the route handlers (call with lock held where they touch state) ----

  Optional<FakeRelease> find(String ownerRepo, String tag) {
    return releases.stream()
        .filter(r -> r.ownerRepo.equalsIgnoreCase(ownerRepo) && r.tag.equals(tag))
        .findFirst();
  }

  Optional<FakeRelease> findPublished(String ownerRepo, String tag) {
    return releases.stream()
        .filter(r -> r.ownerRepo.equalsIgnoreCase(ownerRepo) && r.tag.equals(tag) && !r.draft)
        .findFirst();
  }

  Optional<FakeRelease> byId(String ownerRepo, long id) {
    return releases.stream()
        .filter(r -> r.ownerRepo.equalsIgnoreCase(ownerRepo) && r.id == id)
        .findFirst();
  }

  FakeRelease newRelease(String ownerRepo, String tag) {
    FakeRelease release = new FakeRelease(ids.incrementAndGet(), ownerRepo, tag);
    release.name = tag;
    release.body = "";
    release.draft = true;
    releases.add(release);
    return release;
  }

  void publish(FakeRelease release) {
    release.draft = false;
    tags.computeIfAbsent(
            release.ownerRepo.toLowerCase(java.util.Locale.ROOT), k -> new java.util.TreeSet<>())
        .add(release.tag);
    release.published = Instant.now();
    release.immutable = options.immutableReleases();
  }

  Fault nextFault(Route route) {
    synchronized (lock) {
      Deque<Fault> queue = faults.get(route);
      return queue == null ? null : queue.poll();
    }
  }

  void record(String server, HttpExchange exchange) {
    var headers = exchange.getRequestHeaders();
    synchronized (lock) {
      log.add(
          new RecordedRequest(
              server,
              exchange.getRequestMethod(),
              exchange.getRequestURI().toString(),
              headers.getFirst("Range"),
              headers.containsKey("Authorization"),
              headers.getFirst("Accept")));
    }
  }

  /** The caller's access, or empty after answering 401 for a token GitHub does not know. */
  Optional<Access> authenticate(HttpExchange exchange) throws IOException {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null) {
      return Optional.of(Access.NONE);
    }
    String presented = header.replaceFirst("^(?i)(bearer|token)\\s+", "");
    if (presented.equals(token)) {
      return Optional.of(Access.WRITE);
    }
    if (presented.equals(readOnlyToken)) {
      return Optional.of(Access.READ);
    }
    Exchanges.error(exchange, 401, "Bad credentials");
    return Optional.empty();
  }

  /** Answers 401/403 and returns false unless the caller may write. */
  boolean requireWrite(HttpExchange exchange, Access access) throws IOException {
    if (access == Access.WRITE) {
      return true;
    }
    if (access == Access.NONE) {
      Exchanges.error(exchange, 401, "Requires authentication");
    } else {
      Exchanges.error(exchange, 403, "Resource not accessible by personal access token");
    }
    return false;
  }

  void rateLimitHeaders(HttpExchange exchange) {
    long left = Math.max(0, remaining.decrementAndGet());
    var headers = exchange.getResponseHeaders();
    headers.set("x-ratelimit-limit", "5000");
    headers.set("x-ratelimit-remaining", String.valueOf(left));
    headers.set("x-ratelimit-used", String.valueOf(5000 - left));
    headers.set("x-ratelimit-reset", String.valueOf(Instant.now().getEpochSecond() + 3600));
    headers.set("x-ratelimit-resource", "core");
    headers.set("X-GitHub-Media-Type", "github.v3; format=json");
  }

  /** Answers a {@link Fault.Kind#STATUS} fault. */
  static void answer(HttpExchange exchange, Fault fault) throws IOException {
    fault.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    Exchanges.error(exchange, fault.status(), fault.message());
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void deleteQuietly(Path path) {
    try {
      if (path != null) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // best effort
    }
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
