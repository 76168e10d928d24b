#!/usr/bin/env bash
# Prints the path of Debian 11's (bullseye) `btrfs` binary, btrfs-progs 5.10, for the tests that
# prove a target with an old btrfs-progs receives protocol-1 releases (issue 9). The first run
# downloads the .deb and the shared libraries it links (from Debian's mirror, through a temporary
# apt configuration: the machine's own sources and lists are never touched) and caches them in
# ${OPDEPLOY_CI_CACHE:-/var/cache/opdeploy-ci}/btrfs-progs-5.10/; later runs print the cached path.
# The printed path is a wrapper script that runs the binary with bullseye's libraries, so it runs
# on a newer host as it would on Debian 11. Delete the folder to fetch again.
# Usage: ci/btrfs-progs-bullseye.sh      prints e.g. /var/cache/opdeploy-ci/btrfs-progs-5.10/btrfs
set -euo pipefail
cache="${OPDEPLOY_CI_CACHE:-/var/cache/opdeploy-ci}/btrfs-progs-5.10"
wrapper="$cache/btrfs"
packages=(btrfs-progs libblkid1 libuuid1 libzstd1 liblzo2-2 zlib1g libudev1 libcom-err2 libext2fs2 libmount1 libselinux1 libpcre2-8-0 libc6)

if [[ -x "$wrapper" && -f "$cache/.complete" ]]; then
  echo "$wrapper"
  exit 0
fi
command -v apt-get >/dev/null || { echo "btrfs-progs-bullseye: apt-get is missing (a Debian host is needed)" >&2; exit 2; }
mirror="$(sed -n 's/^URIs: *\(https\?:[^ ]*debian\/\?\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1 || true)"
if [[ -z "$mirror" ]]; then
  mirror="$(sed -n 's/^deb \(\[[^]]*\] \)\?\(https\?:[^ ]*debian\/\?\) [a-z]* .*/\2/p' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -n1 || true)"
fi
mirror="${mirror:-http://deb.debian.org/debian}"
mkdir -p "$(dirname "$cache")"
exec 9>"$(dirname "$cache")/.btrfs-progs-5.10.lock"
flock 9
if [[ -x "$wrapper" && -f "$cache/.complete" ]]; then
  echo "$wrapper"
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs" "$work/etc/preferences.d"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bullseye main" > "$work/sources.list"
apt_options=(
  -o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=-"
  -o "Dir::Etc::preferencesparts=$work/etc/preferences.d"
  -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache"
  -o "Dir::State::status=/dev/null" -o "APT::Get::List-Cleanup=0" -o "Debug::NoLocking=1"
  -o "APT::Sandbox::User=root"
  -o "APT::Architecture=$(dpkg --print-architecture)" -o "APT::Architectures::=$(dpkg --print-architecture)")
echo "btrfs-progs-bullseye: downloading btrfs-progs 5.10 and its libraries from $mirror (bullseye)" >&2
apt-get "${apt_options[@]}" -qq update >&2
(cd "$work/debs" && apt-get "${apt_options[@]}" -qq download "${packages[@]}" >&2)
building="$cache.building"
rm -rf "$building"
mkdir -p "$building/root"
for deb in "$work"/debs/*.deb; do
  dpkg-deb -x "$deb" "$building/root"
done
binary="$building/root/bin/btrfs"
[[ -x "$binary" ]] || { echo "btrfs-progs-bullseye: the package holds no bin/btrfs" >&2; exit 1; }
libs="$cache/root/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)"
usrlibs="$cache/root/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)"
loader=""
for candidate in "$building"/root/lib64/ld-linux-*.so.* "$building"/root/lib/*/ld-linux-*.so.*; do
  if [[ -e "$candidate" ]]; then
    loader="${candidate#"$building/root/"}"
    break
  fi
done
[[ -n "$loader" ]] || { echo "btrfs-progs-bullseye: libc6 holds no dynamic loader" >&2; exit 1; }
# bullseye's own loader and libraries: the binary then runs exactly as on Debian 11.
cat > "$building/btrfs" <<WRAP
#!/bin/sh
exec "$cache/root/$loader" --library-path "$libs:$usrlibs" "$cache/root/bin/btrfs" "\$@"
WRAP
chmod 0755 "$building/btrfs"
ls "$work"/debs > "$building/packages"
touch "$building/.complete"
rm -rf "$cache"
mv "$building" "$cache"
"$wrapper" --version >&2
echo "$wrapper"
