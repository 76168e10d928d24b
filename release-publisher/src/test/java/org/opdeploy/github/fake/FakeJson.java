package org.opdeploy.github.fake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The fake's release and asset documents, shaped like the OpenAPI {@code release} schemas. */
final class FakeJson {
  private FakeJson() {}

  static ObjectNode release(FakeGitHub fake, FakeRelease r) {
    String repoApi = fake.apiUrl() + "/repos/" + r.ownerRepo;
    ObjectNode json =
        Exchanges.JSON
            .createObjectNode()
            .put("url", repoApi + "/releases/" + r.id)
            .put("html_url", "https://github.example/" + r.ownerRepo + "/releases/tag/" + r.tag)
            .put("assets_url", repoApi + "/releases/" + r.id + "/assets")
            .put(
                "upload_url",
                fake.uploadOrigin()
                    + "/repos/"
                    + r.ownerRepo
                    + "/releases/"
                    + r.id
                    + "/assets{?name,label}")
            .put("tarball_url", repoApi + "/tarball/" + r.tag)
            .put("zipball_url", repoApi + "/zipball/" + r.tag)
            .put("id", r.id)
            .put("node_id", "RE_" + r.id)
            .put("tag_name", r.tag)
            .put("target_commitish", "main")
            .put("name", r.name)
            .put("body", r.body)
            .put("draft", r.draft)
            .put("prerelease", r.prerelease)
            .put("immutable", r.immutable)
            .put("created_at", r.created.toString())
            .put("updated_at", r.created.toString());
    if (r.published == null) {
      json.putNull("published_at");
    } else {
      json.put("published_at", r.published.toString());
    }
    json.set("author", user());
    var assets = json.putArray("assets");
    r.assets.forEach(a -> assets.add(asset(fake, r, a)));
    return json;
  }

  static ObjectNode asset(FakeGitHub fake, FakeRelease r, FakeAsset a) {
    ObjectNode json =
        Exchanges.JSON
            .createObjectNode()
            .put("url", fake.apiUrl() + "/repos/" + r.ownerRepo + "/releases/assets/" + a.id)
            .put(
                "browser_download_url",
                fake.apiUrl()
                    + "/"
                    + r.ownerRepo
                    + "/releases/download/"
                    + r.tag
                    + "/"
                    + URLEncoder.encode(a.name, StandardCharsets.UTF_8))
            .put("id", a.id)
            .put("node_id", "RA_" + a.id)
            .put("name", a.name)
            .put("state", a.state)
            .put("content_type", "application/octet-stream")
            .put("size", a.size)
            .put("download_count", 0)
            .put("created_at", a.created.toString())
            .put("updated_at", a.created.toString());
    json.putNull("label");
    if (a.digest == null) {
      json.putNull("digest");
    } else {
      json.put("digest", a.digest);
    }
    json.set("uploader", user());
    return json;
  }

  private static ObjectNode user() {
    String base = "https://api.github.example/users/opdeploy-bot";
    return Exchanges.JSON
        .createObjectNode()
        .put("login", "opdeploy-bot")
        .put("id", 1)
        .put("node_id", "U_1")
        .put("avatar_url", "https://avatars.example/u/1")
        .put("gravatar_id", "")
        .put("url", base)
        .put("html_url", "https://github.example/opdeploy-bot")
        .put("followers_url", base + "/followers")
        .put("following_url", base + "/following{/other_user}")
        .put("gists_url", base + "/gists{/gist_id}")
        .put("starred_url", base + "/starred{/owner}{/repo}")
        .put("subscriptions_url", base + "/subscriptions")
        .put("organizations_url", base + "/orgs")
        .put("repos_url", base + "/repos")
        .put("events_url", base + "/events{/privacy}")
        .put("received_events_url", base + "/received_events")
        .put("type", "Bot")
        .put("site_admin", false);
  }
}
