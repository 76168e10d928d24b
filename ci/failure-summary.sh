#!/usr/bin/env bash
# A workflow's last step, run only when an earlier one failed: appends a failure section to the job
# summary (every step's outcome, the first failing one named) and annotates the failing step's line
# in the workflow file, so the run page says where it broke without opening the log.
#   OUTCOMES       "id=outcome id=outcome …" in the steps' order (${{ steps.<id>.outcome }})
#   WORKFLOW_FILE  the workflow's path in the repository, for the annotation
#   VERSION        optional, named in the heading; RUN_URL optional, linked
# Usage: OUTCOMES="build=success release=failure" WORKFLOW_FILE=.github/workflows/release.yml ci/failure-summary.sh
set -euo pipefail
: "${OUTCOMES:?set OUTCOMES}" "${WORKFLOW_FILE:?set WORKFLOW_FILE}"
failed=""
rows=""
for pair in $OUTCOMES; do
  id="${pair%%=*}"
  outcome="${pair#*=}"
  rows+="| \`$id\` | ${outcome:-not run} |"$'\n'
  if [[ -z "$failed" && "$outcome" == failure ]]; then
    failed="$id"
  fi
done
line=""
if [[ -n "$failed" && -f "$WORKFLOW_FILE" ]]; then
  line="$(grep -n -E "^[[:space:]]*id:[[:space:]]*${failed}[[:space:]]*$" "$WORKFLOW_FILE" | head -n1 | cut -d: -f1 || true)"
fi
what="${VERSION:+ $VERSION}"
if [[ -n "$failed" ]]; then
  echo "::error file=$WORKFLOW_FILE${line:+,line=$line},title=step $failed failed::step '$failed' failed${VERSION:+ (release $VERSION)}; its log and the annotations above say why"
fi
{
  echo "## Failed${what}"
  echo
  if [[ -n "$failed" ]]; then
    echo "The step \`$failed\` failed${line:+ ($WORKFLOW_FILE line $line)}.${RUN_URL:+ [Log]($RUN_URL)}"
  else
    echo "A step without an id failed (checkout or setup).${RUN_URL:+ [Log]($RUN_URL)}"
  fi
  echo
  echo "| step | outcome |"
  echo "|---|---|"
  printf '%s' "$rows"
} >> "${GITHUB_STEP_SUMMARY:-/dev/stderr}"
