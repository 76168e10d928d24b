#!/usr/bin/env bash
# Turns the manual workflow's inputs (VERSION, PARENT, DRAFT, DRY_RUN, REPOSITORY) into one
# `opdeploy release` call. Runs the same outside Actions: VERSION=v1.2.3 REPOSITORY=o/r ci/manual-release.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${VERSION:?set VERSION}" "${REPOSITORY:?set REPOSITORY}"
args=(release "$VERSION" --to "github:$REPOSITORY" --parent "${PARENT:-auto}")
if [[ "${DRAFT:-false}" == "true" ]]; then args+=(--draft); fi
if [[ "${DRY_RUN:-false}" == "true" ]]; then args+=(--dry-run); fi
# Runners share the pool: wait for another run's lock rather than fail.
exec ./opdeploy --wait 2h "${args[@]}"
