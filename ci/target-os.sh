#!/usr/bin/env bash
# Prints the path of a bootable Debian 12 tree for the booted-target tests and the package test,
# building it first when it is missing (debootstrap, about two minutes; needs root and Debian's
# mirror). The tree holds systemd, D-Bus, btrfs-progs and a Java 17 runtime, so opdeploy's .deb
# installs in it without downloading anything. It is cached between runs in
# ${OPDEPLOY_TARGET_OS_CACHE:-/var/cache/opdeploy-ci}/bookworm-systemd; tests copy it (cp --reflink
# where the filesystem can) and never change the cached tree. Delete the folder to rebuild it.
# Usage: ci/target-os.sh            prints the tree's path on stdout
set -euo pipefail
cache="${OPDEPLOY_TARGET_OS_CACHE:-/var/cache/opdeploy-ci}"
tree="$cache/bookworm-systemd"
packages=systemd,systemd-sysv,dbus,btrfs-progs,openjdk-17-jre-headless,ca-certificates
stamp="$tree/.opdeploy-target-os"

if [[ -f "$stamp" && "$(cat "$stamp")" == "$packages" ]]; then
  echo "$tree"
  exit 0
fi
[[ $EUID -eq 0 ]] || { echo "target-os: building the target tree needs root" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "target-os: debootstrap is missing: apt-get install debootstrap" >&2; exit 2; }
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [[ -f "$stamp" && "$(cat "$stamp")" == "$packages" ]]; then
  echo "$tree"
  exit 0
fi
mirror="$(sed -n 's/^deb \(\[[^]]*\] \)\?\(https\?:[^ ]*\) bookworm .*/\2/p' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -n1 || true)"
if [[ -z "$mirror" ]]; then
  mirror="$(sed -n 's/^URIs: *\(https\?:[^ ]*debian\/\?\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1 || true)"
fi
building="$tree.building"
rm -rf "$building" "$tree"
echo "target-os: debootstrap bookworm into $tree (about two minutes)" >&2
debootstrap --variant=minbase --include="$packages" bookworm "$building" ${mirror:+"$mirror"} >&2
# A booted container needs no getty, and a machine-id makes journald and D-Bus start cleanly.
systemd-machine-id-setup --root="$building" >/dev/null 2>&1 || true
rm -f "$building/etc/systemd/system/getty.target.wants/"* 2>/dev/null || true
echo "$packages" > "$building/.opdeploy-target-os"
mv "$building" "$tree"
echo "$tree"
