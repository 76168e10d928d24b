#!/usr/bin/env bash
# Builds the op-dbus binary from the operation-dbus repository and copies it to $1.
#   OPDBUS_REPOSITORY  owner/name on GitHub, or a git URL
#   OPDBUS_TAG         a version tag (vMAJOR.MINOR.PATCH[-PRERELEASE]) to build exactly, or "latest"
#                      for the newest version tag; the build refuses a tag that does not exist
#   OPDBUS_COMMIT      optional: the commit the tag must point at (a dispatch names it, so a tag
#                      moved after the dispatch is refused instead of built)
#   OPDBUS_REF         without OPDBUS_TAG: a branch or commit (default: the default branch's HEAD)
# The checkout is left next to the binary ($1-src) so release notes can be taken from its history.
# What was built is printed, and written as repository=, tag= and commit= to $GITHUB_OUTPUT when
# set: the workflows pass them to opdeploy as OPDEPLOY_PAYLOAD_* for the manifest's source.
# When OPDBUS_BIN_URL is set instead, the prebuilt binary is downloaded from there.
set -euo pipefail
actions=false
[[ "${GITHUB_ACTIONS:-}" != true ]] || actions=true
# One line saying what failed; under Actions an annotation on the line of this script that failed.
fail() {
  if $actions; then
    echo "::error file=ci/build-opdbus.sh,line=${BASH_LINENO[0]}::build-opdbus: $2"
  else
    echo "build-opdbus: $2" >&2
  fi
  exit "$1"
}
if $actions; then
  trap 'echo "::error file=ci/build-opdbus.sh,line=$LINENO::building op-dbus failed (exit $?); the lines above say why"' ERR
fi
out="${1:?usage: ci/build-opdbus.sh OUTPUT}"
if [[ -n "${OPDBUS_BIN_URL:-}" ]]; then
  curl -fsSL --retry 3 -o "$out" "$OPDBUS_BIN_URL"
  chmod 0755 "$out"
  exit 0
fi
repository="${OPDBUS_REPOSITORY:?set OPDBUS_REPOSITORY (owner/name of operation-dbus) or OPDBUS_BIN_URL}"
url="$repository"
[[ "$url" == *://* ]] || url="https://github.com/$repository.git"
tag="${OPDBUS_TAG:-}"
version_tag='^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$'
if [[ -n "$tag" && "$tag" != latest && ! "$tag" =~ $version_tag ]]; then
  fail 2 "'$tag' is not a version tag (vMAJOR.MINOR.PATCH[-PRERELEASE])"
fi
src="$out-src"
rm -rf "$src"
git clone --quiet "$url" "$src"
if [[ "$tag" == latest ]]; then
  tag="$(git -C "$src" tag --list 'v*' --sort=-v:refname | grep -E "$version_tag" | head -n1 || true)"
  [[ -n "$tag" ]] || fail 1 "$repository has no version tag"
fi
if [[ -n "$tag" ]]; then
  commit="$(git -C "$src" rev-parse --verify --quiet "refs/tags/$tag^{commit}")" || fail 1 "$repository has no tag $tag"
  if [[ -n "${OPDBUS_COMMIT:-}" && "$commit" != "$OPDBUS_COMMIT" ]]; then
    fail 1 "tag $tag of $repository points at $commit, not at $OPDBUS_COMMIT as dispatched: was it moved?"
  fi
  git -C "$src" checkout --quiet --detach "$commit"
else
  git -C "$src" checkout --quiet --detach "${OPDBUS_REF:-HEAD}"
  commit="$(git -C "$src" rev-parse HEAD)"
fi
command -v cargo >/dev/null || fail 1 "cargo is needed (rustup or apt-get install cargo)"
(cd "$src" && cargo build --release --locked)
install -m 0755 "$src/target/release/op-dbus" "$out"
echo "build-opdbus: $("$out" --version 2>/dev/null || echo built) from $repository ${tag:-(no tag)} $commit -> $out"
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  # A URL may carry credentials: only an owner/name goes into the manifest.
  if [[ "$repository" == *://* ]]; then repository="${repository#*://*/}"; repository="${repository%.git}"; fi
  printf 'repository=%s\ntag=%s\ncommit=%s\n' "$repository" "$tag" "$commit" >> "$GITHUB_OUTPUT"
fi
