package org.opdeploy.github.fake;

/** The fake's endpoints, as names to inject faults on. */
public enum Route {
  LIST_RELEASES,
  CREATE_RELEASE,
  GET_RELEASE,
  GET_RELEASE_BY_TAG,
  UPDATE_RELEASE,
  DELETE_RELEASE,
  LIST_ASSETS,
  GET_ASSET,
  DELETE_ASSET,
  UPLOAD_ASSET,
  /** {@code DELETE /repos/{owner}/{repo}/git/refs/{ref}}. */
  DELETE_REF,
  /** Asset bytes, from {@code browser_download_url} or the storage host the API redirects to. */
  DOWNLOAD
}
