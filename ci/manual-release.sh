#!/usr/bin/env bash
# Turns the manual workflow's inputs (VERSION, PARENT, DRAFT, DRY_RUN, REPOSITORY) into one
# `opdeploy release` call. Runs the same outside Actions: VERSION=v1.2.3 REPOSITORY=o/r ci/manual-release.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${VERSION:?set VERSION}" "${REPOSITORY:?set REPOSITORY}"
args=(release "$VERSION" --to "github:$REPOSITORY" --parent "${PARENT:-auto}")
[[ "${DRAFT:-false}" == "true" ]] && args+=(--draft)
[[ "${DRY_RUN:-false}" == "true" ]] && args+=(--dry-run)
exec ./opdeploy "${args[@]}"
