package org.opdeploy.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.http.FileRequestBody;
import org.opdeploy.http.ResumableDownload;
import org.opdeploy.http.Retrier;
import org.opdeploy.http.TransientHttpException;

/**
 * GitHub's Releases REST API for one repository, through OkHttp: every call carries the API
 * version, a User-Agent and the bearer token (in a header, never a URL), pages through {@code Link:
 * rel="next"}, and retries what {@link GitHubErrors} calls transient. Uploads go to the host in the
 * release's {@code upload_url}, never a hard-coded one.
 */
final class GitHubApi {
  static final String USER_AGENT = "opdeploy (+https://github.com/opdeploy)";
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String ownerRepo;
  private final GitHubSettings settings;
  private final OkHttpClient client;
  private final Retrier retrier;
  private final GitHubErrors errors;
  private final HttpUrl apiBase;

  GitHubApi(String ownerRepo, GitHubSettings settings, OkHttpClient client) {
    this.ownerRepo = ownerRepo;
    this.settings = settings;
    this.client = client;
    this.retrier = new Retrier(settings.retry());
    this.errors = new GitHubErrors(describe(), settings.token() != null, settings.retry().clock());
    this.apiBase = HttpUrl.get(settings.apiUrl() + "/");
  }

  String describe() {
    return "github:" + ownerRepo;
  }

  boolean hasToken() {
    return settings.token() != null;
  }

  Retrier retrier() {
    return retrier;
  }

  ResumableDownload downloader() {
    return new ResumableDownload(client, retrier, errors);
  }

  String apiOrigin() {
    return apiBase.scheme() + "://" + apiBase.host() + ":" + apiBase.port();
  }

  /** Every release, drafts included when the token may see them; newest first. */
  List<GitHubRelease> listReleases() throws OpdeployException {
    return listAll("list releases of " + describe(), repoUrl("releases"), GitHubApi::release);
  }

  /**
   * The release for {@code tag} among all releases, drafts included (the by-tag lookup hides
   * drafts).
   */
  Optional<GitHubRelease> findRelease(String tag) throws OpdeployException {
    return listReleases().stream().filter(r -> r.tagName().equals(tag)).findFirst();
  }

  /** The published release for {@code tag}, through the by-tag endpoint. */
  Optional<GitHubRelease> publishedRelease(String tag) throws OpdeployException {
    String url = repoUrl("releases/tags/" + tag).toString();
    return retrier.run(
        "look up release " + tag + " on " + describe(),
        attempt -> {
          try (Response response = execute(get(url))) {
            if (response.code() == 404) {
              return Optional.empty();
            }
            return Optional.of(release(readJson(response, "look up release " + tag)));
          }
        });
  }

  /** Looks for a release made by an earlier attempt of the same create. */
  @FunctionalInterface
  interface Refind {
    Optional<GitHubRelease> find() throws OpdeployException;
  }

  /**
   * Creates a draft; empty when the tag already has a published release. A retry first calls {@code
   * refind}: GitHub may have performed a create it answered with a 5xx, and a second create would
   * make a second draft of the tag.
   */
  Optional<GitHubRelease> createDraft(
      String tag, String title, String notes, boolean prerelease, Refind refind)
      throws OpdeployException {
    ObjectNode body =
        JSON.createObjectNode()
            .put("tag_name", tag)
            .put("name", title)
            .put("body", notes == null ? "" : notes)
            .put("draft", true)
            .put("prerelease", prerelease);
    String what = "create release " + tag + " on " + describe();
    return retrier.run(
        what,
        attempt -> {
          if (attempt > 1) {
            Optional<GitHubRelease> made = refind.find();
            if (made.isPresent()) {
              return made;
            }
          }
          try (Response response =
              execute(jsonRequest(repoUrl("releases").toString(), "POST", body))) {
            if (response.code() == 422
                && GitHubErrors.message(response).contains("already_exists")) {
              return Optional.empty();
            }
            return Optional.of(release(readJson(response, what)));
          }
        });
  }

  /** Publishes a draft ({@code draft: false}). */
  GitHubRelease publish(GitHubRelease release) throws OpdeployException {
    ObjectNode body = JSON.createObjectNode().put("draft", false);
    String what = "publish release " + release.tagName() + " on " + describe();
    String url = repoUrl("releases/" + release.id()).toString();
    return retrier.run(
        what,
        attempt -> {
          try (Response response = execute(jsonRequest(url, "PATCH", body))) {
            return release(readJson(response, what));
          }
        });
  }

  /** Deletes a release (a duplicate draft, a pruned one); one already gone counts as deleted. */
  void deleteRelease(GitHubRelease release) throws OpdeployException {
    String what =
        "delete release " + release.id() + " of " + release.tagName() + " on " + describe();
    String url = repoUrl("releases/" + release.id()).toString();
    retrier.run(
        what,
        attempt -> {
          try (Response response = execute(request(url).delete().build())) {
            if (response.code() != 204 && response.code() != 404) {
              throw errors.fail(what, response);
            }
            return null;
          }
        });
  }

  /**
   * Deletes the tag {@code tag} ({@code DELETE /repos/{owner}/{repo}/git/refs/tags/{tag}}; deleting
   * a release leaves its tag). GitHub answers 422 "Reference does not exist" for a tag already
   * gone, which counts as deleted.
   */
  void deleteTag(String tag) throws OpdeployException {
    String what = "delete tag " + tag + " on " + describe();
    String url = repoUrl("git/refs/tags/" + tag).toString();
    retrier.run(
        what,
        attempt -> {
          try (Response response = execute(request(url).delete().build())) {
            if (response.code() == 422
                && GitHubErrors.message(response).contains("Reference does not exist")) {
              return null;
            }
            if (response.code() != 204) {
              throw errors.fail(what, response);
            }
            return null;
          }
        });
  }

  List<GitHubAsset> listAssets(GitHubRelease release) throws OpdeployException {
    return listAll(
        "list assets of " + release.tagName() + " on " + describe(),
        repoUrl("releases/" + release.id() + "/assets"),
        GitHubApi::asset);
  }

  /** Deletes an asset; one already gone counts as deleted. */
  void deleteAsset(GitHubAsset asset) throws OpdeployException {
    String what = "delete asset " + asset.name() + " on " + describe();
    String url = repoUrl("releases/assets/" + asset.id()).toString();
    retrier.run(
        what,
        attempt -> {
          try (Response response = execute(request(url).delete().build())) {
            if (response.code() != 204 && response.code() != 404) {
              throw errors.fail(what, response);
            }
            return null;
          }
        });
  }

  /**
   * One upload try of {@code body} as asset {@code name}; the caller retries. A 422 {@code
   * already_exists} is thrown as transient so the retry lists and reconciles first.
   */
  GitHubAsset uploadOnce(GitHubRelease release, String name, FileRequestBody body)
      throws IOException, OpdeployException {
    HttpUrl url =
        HttpUrl.get(release.uploadUrl()).newBuilder().addQueryParameter("name", name).build();
    String what = "upload " + name + " to " + describe();
    try (Response response = execute(request(url.toString()).post(body).build())) {
      // A 422 whose body was cut off (the server answered before reading the upload) is most
      // likely the same already_exists: list and reconcile rather than fail blind.
      String refusal = response.code() == 422 ? GitHubErrors.message(response) : null;
      if (refusal != null && (refusal.contains("already_exists") || refusal.isEmpty())) {
        throw new TransientHttpException(
            "an asset named " + name + " already exists", java.time.Duration.ZERO);
      }
      return asset(readJson(response, what));
    }
  }

  private <T> List<T> listAll(String what, HttpUrl first, Function<JsonNode, T> parse)
      throws OpdeployException {
    List<T> all = new ArrayList<>();
    String url = first.newBuilder().addQueryParameter("per_page", "100").build().toString();
    while (url != null) {
      String page = url;
      PageResult result =
          retrier.run(
              what,
              attempt -> {
                try (Response response = execute(get(page))) {
                  return new PageResult(
                      readJson(response, what), nextPage(response.header("Link")));
                }
              });
      result.items().forEach(item -> all.add(parse.apply(item)));
      url = result.next();
    }
    return all;
  }

  private record PageResult(JsonNode items, String next) {}

  private String nextPage(String link) throws OpdeployException {
    if (link == null) {
      return null;
    }
    Matcher m = NEXT.matcher(link);
    if (!m.find()) {
      return null;
    }
    HttpUrl next = HttpUrl.parse(m.group(1));
    if (next == null
        || !next.host().equalsIgnoreCase(apiBase.host())
        || next.port() != apiBase.port()) {
      // The token goes with every page request: follow only links back to the API itself.
      throw new OpdeployException(
          "GitHub's pagination pointed away from " + settings.apiUrl() + "; check GITHUB_API_URL");
    }
    return next.toString();
  }

  private JsonNode readJson(Response response, String what) throws IOException, OpdeployException {
    if (!response.isSuccessful()) {
      throw errors.fail(what, response);
    }
    return JSON.readTree(response.body().byteStream());
  }

  private Response execute(Request request) throws IOException {
    return client.newCall(request).execute();
  }

  private Request get(String url) {
    return request(url).get().build();
  }

  private Request jsonRequest(String url, String method, ObjectNode body) {
    return request(url).method(method, RequestBody.create(body.toString(), JSON_TYPE)).build();
  }

  private Request.Builder request(String url) {
    Request.Builder builder =
        new Request.Builder()
            .url(url)
            .header("Accept", "application/vnd.github+json")
            .header("X-GitHub-Api-Version", "2022-11-28")
            .header("User-Agent", USER_AGENT);
    if (settings.token() != null) {
      builder.header("Authorization", "Bearer " + settings.token().reveal());
    }
    return builder;
  }

  private HttpUrl repoUrl(String rest) {
    return apiBase.newBuilder().addPathSegments("repos/" + ownerRepo + "/" + rest).build();
  }

  static GitHubRelease release(JsonNode json) {
    String upload = json.path("upload_url").asText("");
    int template = upload.indexOf('{');
    return new GitHubRelease(
        json.path("id").asLong(),
        json.path("tag_name").asText(),
        json.path("draft").asBoolean(),
        json.path("prerelease").asBoolean(),
        json.path("immutable").asBoolean(false),
        json.path("html_url").asText(""),
        template >= 0 ? upload.substring(0, template) : upload);
  }

  static GitHubAsset asset(JsonNode json) {
    String digest = json.path("digest").isTextual() ? json.path("digest").asText() : null;
    String sha256 = digest != null && digest.startsWith("sha256:") ? digest.substring(7) : null;
    return new GitHubAsset(
        json.path("id").asLong(),
        json.path("name").asText(),
        json.path("state").asText(""),
        json.path("size").asLong(),
        sha256,
        json.path("url").asText(""),
        json.path("browser_download_url").asText(""));
  }
}
