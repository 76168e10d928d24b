package org.opdeploy.github.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opdeploy.github.fake.FakeGitHub.Access;

/** The API host's routes: releases, assets, asset downloads. */
final class ApiRoutes {
  private CyclicBarrier together;

  private static final String REPO = "^/repos/([^/]+/[^/]+)/releases";
  private static final Pattern LIST = Pattern.compile(REPO + "$");
  private static final Pattern BY_TAG = Pattern.compile(REPO + "/tags/(.+)$");
  private static final Pattern LATEST = Pattern.compile(REPO + "/latest$");
  private static final Pattern ASSET = Pattern.compile(REPO + "/assets/(\\d+)$");
  private static final Pattern RELEASE = Pattern.compile(REPO + "/(\\d+)$");
  private static final Pattern ASSETS = Pattern.compile(REPO + "/(\\d+)/assets$");
  // Not in shared/github-api (releases only): GitHub's git/delete-ref, as its REST reference has it
  // (204 deleted; 422 "Reference does not exist"). Only tags are modelled.
  private static final Pattern TAG_REF =
      Pattern.compile("^/repos/([^/]+/[^/]+)/git/refs/tags/(.+)$");
  private static final Pattern BROWSER =
      Pattern.compile("^/([^/]+/[^/]+)/releases/download/([^/]+)/([^/]+)$");
  private final FakeGitHub fake;

  ApiRoutes(FakeGitHub fake) {
    this.fake = fake;
  }

  void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      fake.record("api", exchange);
      fake.rateLimitHeaders(exchange);
      Optional<Access> access = fake.authenticate(exchange);
      if (access.isEmpty()) {
        return;
      }
      route(
          exchange, access.get(), exchange.getRequestMethod(), exchange.getRequestURI().getPath());
    }
  }

  private void route(HttpExchange ex, Access access, String method, String path)
      throws IOException {
    Matcher m;
    if ((m = LIST.matcher(path)).matches() && method.equals("GET")) {
      if (!faulted(ex, Route.LIST_RELEASES)) {
        list(ex, access, m.group(1));
      }
    } else if ((m = LIST.matcher(path)).matches() && method.equals("POST")) {
      create(ex, access, m.group(1));
    } else if ((m = BY_TAG.matcher(path)).matches() && method.equals("GET")) {
      if (!faulted(ex, Route.GET_RELEASE_BY_TAG)) {
        byTag(ex, m.group(1), m.group(2));
      }
    } else if ((m = LATEST.matcher(path)).matches() && method.equals("GET")) {
      latest(ex, m.group(1));
    } else if ((m = ASSET.matcher(path)).matches()) {
      asset(ex, access, method, m.group(1), Long.parseLong(m.group(2)));
    } else if ((m = RELEASE.matcher(path)).matches()) {
      release(ex, access, method, m.group(1), Long.parseLong(m.group(2)));
    } else if ((m = ASSETS.matcher(path)).matches() && method.equals("GET")) {
      if (!faulted(ex, Route.LIST_ASSETS)) {
        listAssets(ex, access, m.group(1), Long.parseLong(m.group(2)));
      }
    } else if ((m = TAG_REF.matcher(path)).matches() && method.equals("DELETE")) {
      deleteTag(ex, access, m.group(1), m.group(2));
    } else if ((m = BROWSER.matcher(path)).matches() && method.equals("GET")) {
      browserDownload(ex, m.group(1), m.group(2), m.group(3));
    } else {
      Exchanges.error(ex, 404, "Not Found");
    }
  }

  private boolean faulted(HttpExchange ex, Route route) throws IOException {
    Fault fault = delayed(fake.nextFault(route));
    if (fault != null && fault.kind() == Fault.Kind.STATUS) {
      FakeGitHub.answer(ex, fault);
      return true;
    }
    if (fault != null && fault.kind() == Fault.Kind.STALE_EMPTY_LIST) {
      Exchanges.json(ex, 200, Exchanges.JSON.createArrayNode());
      return true;
    }
    return false;
  }

  /**
   * Sleeps out a {@link Fault.Kind#DELAY} or waits out a {@link Fault.Kind#TOGETHER}, and then
   * takes no fault; returns any other fault.
   */
  private Fault delayed(Fault fault) {
    if (fault == null
        || (fault.kind() != Fault.Kind.DELAY && fault.kind() != Fault.Kind.TOGETHER)) {
      return fault;
    }
    try {
      if (fault.kind() == Fault.Kind.DELAY) {
        Thread.sleep(fault.status());
      } else {
        gathering(fault.status()).await(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
    return null;
  }

  /** The barrier of the current {@link Fault.Kind#TOGETHER} group, made by its first request. */
  private synchronized CyclicBarrier gathering(int requests) {
    if (together == null || together.getParties() != requests || together.isBroken()) {
      together = new CyclicBarrier(requests);
    }
    return together;
  }

  private void list(HttpExchange ex, Access access, String repo) throws IOException {
    List<FakeRelease> visible;
    synchronized (fake.lock) {
      visible =
          fake.releases.stream()
              .filter(
                  r -> r.ownerRepo.equalsIgnoreCase(repo) && (!r.draft || access == Access.WRITE))
              .sorted(Comparator.comparingLong((FakeRelease r) -> r.id).reversed())
              .toList();
    }
    page(ex, visible, r -> FakeJson.release(fake, r));
  }

  private <T> void page(HttpExchange ex, List<T> items, Function<T, JsonNode> render)
      throws IOException {
    Map<String, String> query = Exchanges.query(ex);
    int perPage = Math.max(1, Math.min(fake.options.maxPerPage(), intParam(query, "per_page", 30)));
    int page = Math.max(1, intParam(query, "page", 1));
    int last = Math.max(1, (items.size() + perPage - 1) / perPage);
    ArrayNode body = Exchanges.JSON.createArrayNode();
    ArrayNode[] holder = {body};
    synchronized (fake.lock) {
      items.stream()
          .skip((long) (page - 1) * perPage)
          .limit(perPage)
          .forEach(i -> holder[0].add(render.apply(i)));
    }
    if (last > 1) {
      String base =
          fake.apiUrl() + ex.getRequestURI().getPath() + "?per_page=" + perPage + "&page=";
      StringBuilder link = new StringBuilder();
      if (page < last) {
        link.append('<')
            .append(base)
            .append(page + 1)
            .append(">; rel=\"next\", <")
            .append(base)
            .append(last)
            .append(">; rel=\"last\"");
      }
      if (page > 1) {
        if (link.length() > 0) {
          link.append(", ");
        }
        link.append('<')
            .append(base)
            .append(page - 1)
            .append(">; rel=\"prev\", <")
            .append(base)
            .append(1)
            .append(">; rel=\"first\"");
      }
      ex.getResponseHeaders().set("Link", link.toString());
    }
    Exchanges.json(ex, 200, body);
  }

  private static int intParam(Map<String, String> query, String name, int fallback) {
    try {
      return query.containsKey(name) ? Integer.parseInt(query.get(name)) : fallback;
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private void create(HttpExchange ex, Access access, String repo) throws IOException {
    JsonNode body = Exchanges.readJson(ex);
    if (!fake.requireWrite(ex, access)) {
      return;
    }
    Fault fault = delayed(fake.nextFault(Route.CREATE_RELEASE));
    if (fault != null && fault.kind() == Fault.Kind.STATUS) {
      FakeGitHub.answer(ex, fault);
      return;
    }
    String tag = body.path("tag_name").asText("");
    if (tag.isEmpty()) {
      Exchanges.validationFailed(ex, "Release", "missing_field", "tag_name");
      return;
    }
    JsonNode json;
    synchronized (fake.lock) {
      if (fault != null
          && fault.kind() == Fault.Kind.COMPETING_RELEASE
          && fake.find(repo, tag).isEmpty()) {
        fake.newRelease(repo, tag);
      }
      // A draft holds no tag: only a published release makes another create of its tag fail, so
      // two publishers that both find nothing each get a draft of the same tag.
      if (fake.findPublished(repo, tag).isPresent()) {
        json = null;
      } else {
        FakeRelease release = fake.newRelease(repo, tag);
        release.name = body.path("name").asText(tag);
        release.body = body.path("body").asText("");
        release.prerelease = body.path("prerelease").asBoolean(false);
        if (!body.path("draft").asBoolean(false)) {
          fake.publish(release);
        }
        json = FakeJson.release(fake, release);
      }
    }
    if (json == null) {
      Exchanges.validationFailed(ex, "Release", "already_exists", "tag_name");
      return;
    }
    if (fault != null && fault.kind() == Fault.Kind.CREATED_THEN_FAILED) {
      FakeGitHub.answer(ex, fault);
      return;
    }
    ex.getResponseHeaders().set("Location", json.path("url").asText());
    Exchanges.json(ex, 201, json);
  }

  private void byTag(HttpExchange ex, String repo, String tag) throws IOException {
    JsonNode json;
    synchronized (fake.lock) {
      // Drafts have no tag yet as far as this endpoint is concerned.
      json = fake.findPublished(repo, tag).map(r -> FakeJson.release(fake, r)).orElse(null);
    }
    if (json == null) {
      Exchanges.error(ex, 404, "Not Found");
    } else {
      Exchanges.json(ex, 200, json);
    }
  }

  private void latest(HttpExchange ex, String repo) throws IOException {
    JsonNode json;
    synchronized (fake.lock) {
      json =
          fake.releases.stream()
              .filter(r -> r.ownerRepo.equalsIgnoreCase(repo) && !r.draft && !r.prerelease)
              .max(Comparator.comparing((FakeRelease r) -> r.published))
              .map(r -> FakeJson.release(fake, r))
              .orElse(null);
    }
    if (json == null) {
      Exchanges.error(ex, 404, "Not Found");
    } else {
      Exchanges.json(ex, 200, json);
    }
  }

  private void release(HttpExchange ex, Access access, String method, String repo, long id)
      throws IOException {
    Route route =
        switch (method) {
          case "PATCH" -> Route.UPDATE_RELEASE;
          case "DELETE" -> Route.DELETE_RELEASE;
          default -> Route.GET_RELEASE;
        };
    JsonNode body = method.equals("PATCH") ? Exchanges.readJson(ex) : null;
    if (!method.equals("GET") && !fake.requireWrite(ex, access)) {
      return;
    }
    if (faulted(ex, route)) {
      return;
    }
    JsonNode json = null;
    int status = 404;
    synchronized (fake.lock) {
      Optional<FakeRelease> found =
          fake.byId(repo, id).filter(r -> !r.draft || access == Access.WRITE);
      boolean publishing =
          found.isPresent()
              && method.equals("PATCH")
              && found.get().draft
              && body.has("draft")
              && !body.get("draft").asBoolean();
      if (publishing && fake.findPublished(repo, found.get().tag).isPresent()) {
        // Publishing creates the tag's release for good: a second one for the tag is refused.
        status = 422;
      } else if (found.isPresent()) {
        FakeRelease r = found.get();
        status = 200;
        if (method.equals("PATCH")) {
          if (body.has("name")) {
            r.name = body.get("name").asText();
          }
          if (body.has("body")) {
            r.body = body.get("body").asText();
          }
          if (body.has("prerelease")) {
            r.prerelease = body.get("prerelease").asBoolean();
          }
          if (body.has("draft") && !body.get("draft").asBoolean() && r.draft) {
            fake.publish(r);
          }
        } else if (method.equals("DELETE")) {
          r.assets.forEach(a -> FakeGitHub.deleteQuietly(a.file));
          fake.releases.remove(r);
          status = 204;
        }
        json = status == 200 ? FakeJson.release(fake, r) : null;
      }
    }
    if (status == 404) {
      Exchanges.error(ex, 404, "Not Found");
    } else if (status == 422) {
      Exchanges.validationFailed(ex, "Release", "already_exists", "tag_name");
    } else if (status == 204) {
      Exchanges.empty(ex, 204);
    } else {
      Exchanges.json(ex, 200, json);
    }
  }

  private void deleteTag(HttpExchange ex, Access access, String repo, String tag)
      throws IOException {
    if (!fake.requireWrite(ex, access) || faulted(ex, Route.DELETE_REF)) {
      return;
    }
    boolean removed;
    synchronized (fake.lock) {
      var repoTags = fake.tags.get(repo.toLowerCase(java.util.Locale.ROOT));
      removed = repoTags != null && repoTags.remove(tag);
    }
    if (removed) {
      Exchanges.empty(ex, 204);
    } else {
      Exchanges.error(ex, 422, "Reference does not exist");
    }
  }

  private void listAssets(HttpExchange ex, Access access, String repo, long id) throws IOException {
    List<FakeAsset> assets;
    FakeRelease release;
    synchronized (fake.lock) {
      release = fake.byId(repo, id).filter(r -> !r.draft || access == Access.WRITE).orElse(null);
      assets = release == null ? List.of() : List.copyOf(release.assets);
    }
    if (release == null) {
      Exchanges.error(ex, 404, "Not Found");
      return;
    }
    page(ex, assets, a -> FakeJson.asset(fake, release, a));
  }

  private void asset(HttpExchange ex, Access access, String method, String repo, long id)
      throws IOException {
    if (method.equals("DELETE") && !fake.requireWrite(ex, access)) {
      return;
    }
    if (faulted(ex, method.equals("DELETE") ? Route.DELETE_ASSET : Route.GET_ASSET)) {
      return;
    }
    FakeRelease release = null;
    FakeAsset asset = null;
    boolean refused = false;
    synchronized (fake.lock) {
      for (FakeRelease r : fake.releases) {
        if (r.ownerRepo.equalsIgnoreCase(repo) && (!r.draft || access == Access.WRITE)) {
          for (FakeAsset a : r.assets) {
            if (a.id == id) {
              release = r;
              asset = a;
            }
          }
        }
      }
      if (asset != null && method.equals("DELETE")) {
        if (release.immutable && !release.draft) {
          refused = true;
        } else {
          release.assets.remove(asset);
          FakeGitHub.deleteQuietly(asset.file);
        }
      }
    }
    if (asset == null) {
      Exchanges.error(ex, 404, "Not Found");
    } else if (refused) {
      Exchanges.error(ex, 422, "Cannot delete an asset of an immutable release");
    } else if (method.equals("DELETE")) {
      Exchanges.empty(ex, 204);
    } else if ("application/octet-stream".equals(ex.getRequestHeaders().getFirst("Accept"))) {
      ex.getResponseHeaders()
          .set("Location", fake.uploadOrigin() + "/storage/" + asset.id + "?sig=fake");
      Exchanges.empty(ex, 302);
    } else {
      JsonNode json;
      synchronized (fake.lock) {
        json = FakeJson.asset(fake, release, asset);
      }
      Exchanges.json(ex, 200, json);
    }
  }

  private void browserDownload(HttpExchange ex, String repo, String tag, String name)
      throws IOException {
    FakeAsset asset;
    synchronized (fake.lock) {
      asset =
          fake.findPublished(repo, tag)
              .map(r -> r.asset(name))
              .filter(a -> "uploaded".equals(a.state))
              .orElse(null);
    }
    if (asset == null) {
      Exchanges.error(ex, 404, "Not Found");
      return;
    }
    UploadRoutes.serve(fake, ex, asset);
  }
}
