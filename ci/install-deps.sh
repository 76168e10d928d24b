#!/usr/bin/env bash
# Installs what opdeploy's build, tests and demo need on Debian or Ubuntu, skipping what is there.
# Usage: ci/install-deps.sh            (as root, or with sudo available)
set -euo pipefail

# command → Debian package
declare -A needs=(
  [btrfs]=btrfs-progs
  [mkfs.btrfs]=btrfs-progs
  [systemd-nspawn]=systemd-container
  [debootstrap]=debootstrap
  [zstd]=zstd
  [gpg]=gnupg
  [curl]=curl
  [busybox]=busybox-static
  [losetup]=mount
  [getfattr]=attr
  [shellcheck]=shellcheck
  [java]=openjdk-17-jdk-headless
  [javac]=openjdk-17-jdk-headless
  [mvn]=maven
  [npm]=npm
  [lintian]=lintian
  [nginx]=nginx-light
  [openssl]=openssl
  [inotifywait]=inotify-tools
  [bc]=bc
)

missing=()
for cmd in "${!needs[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${needs[$cmd]}")
done
# The benchmarks time with GNU time; `time` alone is the shell's keyword.
[[ -x /usr/bin/time ]] || missing+=(time)
# busybox must be the static build: the stand-in golden copies it into a rootfs without libraries.
if command -v busybox >/dev/null 2>&1 && ldd "$(command -v busybox)" >/dev/null 2>&1; then
  missing+=(busybox-static)
fi

if ((${#missing[@]} == 0)); then
  echo "install-deps: everything is installed"
  exit 0
fi

mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "install-deps: installing ${packages[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}"
