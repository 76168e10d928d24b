#!/usr/bin/env bash
# The README's first command: on a fresh Debian or Ubuntu machine, installs what is missing,
# builds opdeploy and runs the end-to-end demo as root. Usage: ci/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/install-deps.sh
if [[ $(id -u) -ne 0 ]]; then
  # Build as this user: under sudo the launcher never builds (it would leave root-owned files).
  ./opdeploy --version >/dev/null
  exec sudo ./opdeploy demo "$@"
fi
exec ./opdeploy demo "$@"
