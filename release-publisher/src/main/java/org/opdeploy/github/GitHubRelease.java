package org.opdeploy.github;

/**
 * A release as the API reports it. {@code uploadUrl} is the template from {@code upload_url} with
 * the {@code {?name,label}} part removed.
 */
record GitHubRelease(
    long id,
    String tagName,
    boolean draft,
    boolean prerelease,
    boolean immutable,
    String htmlUrl,
    String uploadUrl) {}
