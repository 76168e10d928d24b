#!/usr/bin/env bash
# Builds the op-dbus binary from the operation-dbus repository and copies it to $1.
# OPDBUS_REPOSITORY (owner/name or a git URL) and OPDBUS_REF (tag/branch/commit) choose the source;
# the checkout is left next to the binary ($1-src) so release notes can be taken from its history.
# When OPDBUS_BIN_URL is set instead, the prebuilt binary is downloaded from there.
set -euo pipefail
out="${1:?usage: ci/build-opdbus.sh OUTPUT}"
if [[ -n "${OPDBUS_BIN_URL:-}" ]]; then
  curl -fsSL --retry 3 -o "$out" "$OPDBUS_BIN_URL"
  chmod 0755 "$out"
  exit 0
fi
repo="${OPDBUS_REPOSITORY:?set OPDBUS_REPOSITORY (owner/name of operation-dbus) or OPDBUS_BIN_URL}"
[[ "$repo" == *://* ]] || repo="https://github.com/$repo.git"
src="$out-src"
rm -rf "$src"
git clone --quiet "$repo" "$src"
git -C "$src" checkout --quiet "${OPDBUS_REF:-HEAD}"
command -v cargo >/dev/null || { echo "build-opdbus: cargo is needed (rustup or apt-get install cargo)" >&2; exit 1; }
(cd "$src" && cargo build --release --locked)
install -m 0755 "$src/target/release/op-dbus" "$out"
echo "build-opdbus: $("$out" --version 2>/dev/null || echo built) -> $out"
