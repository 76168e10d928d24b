#!/usr/bin/env bash
# Checks that a self-hosted runner has what the release workflows need, and says what is missing
# (one ::error line per missing thing under Actions) instead of failing halfway through a release.
# The JDK comes from actions/setup-java; everything else is the runner's: install it once with
# `sudo ci/install-deps.sh`, or the packages named below.
# Usage: ci/check-runner.sh
set -euo pipefail
missing=0
say() {
  missing=$((missing + 1))
  if [[ "${GITHUB_ACTIONS:-}" == true ]]; then
    echo "::error title=runner is missing something::$1"
  else
    echo "check-runner: $1" >&2
  fi
}

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! command -v "$java" >/dev/null; then
  say "no JDK: add actions/setup-java (java-version 17) before this step, or apt-get install openjdk-17-jdk-headless"
elif ! "$java" -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; then
  say "opdeploy needs Java 17 or newer; $java is: $("$java" -version 2>&1 | head -n1)"
fi
# command, Debian package
while read -r cmd package; do
  command -v "$cmd" >/dev/null || say "$cmd is missing: apt-get install $package"
done <<'NEEDS'
mvn maven
git git
btrfs btrfs-progs
zstd zstd
gpg gnupg
systemd-nspawn systemd-container
debootstrap debootstrap
NEEDS
if [[ -z "${OPDBUS_BIN_URL:-}" ]] && ! command -v cargo >/dev/null; then
  say "cargo is missing (building op-dbus needs it): apt-get install cargo, or set OPDBUS_BIN_URL"
fi
# The privileged steps run `sudo --preserve-env`: without a password prompt.
if [[ $EUID -ne 0 ]] && ! sudo -n true 2>/dev/null; then
  say "$(id -un) cannot run sudo without a password: allow it, e.g. '$(id -un) ALL=(root) NOPASSWD: ALL' in /etc/sudoers.d/"
fi
if ((missing > 0)); then
  echo "check-runner: $missing thing(s) missing on this runner" >&2
  exit 1
fi
echo "check-runner: $("$java" -version 2>&1 | head -n1), $(mvn -v 2>/dev/null | head -n1), sudo ok"
