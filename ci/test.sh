#!/usr/bin/env bash
# Runs every test: unit tests, integration tests on loop-backed btrfs, a booted systemd target and
# the Debian package (they need root), the workflow checks, then the demo end to end. Installs what
# is missing first, like ci/demo.sh. Usage: ci/test.sh   (as root, or through sudo)
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "ci/test.sh: the integration tests need root: run it as root" >&2; exit 2; }
  exec sudo "$0" "$@"
fi
bash ci/install-deps.sh
mvn -B -ntp verify
./opdeploy demo
