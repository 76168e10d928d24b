#!/usr/bin/env bash
# Runs every test: unit tests, integration tests on loop-backed btrfs (needs root), the workflow
# checks, then the demo end to end. Usage: sudo ci/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $(id -u) -ne 0 ]]; then
  echo "ci/test.sh: the integration tests need root (loop devices, mounts): run it with sudo" >&2
  exit 2
fi
mvn -B -ntp verify
./opdeploy demo
