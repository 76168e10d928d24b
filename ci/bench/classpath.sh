#!/usr/bin/env bash
# Compiles MODULE and the modules it needs (main and test classes) in one reactor build, then prints
# the class path a benchmark driver runs with: the project's class folders, then every dependency.
# Works on a fresh clone: nothing of the project's own is taken from the local Maven repository.
# Usage: ci/bench/classpath.sh MODULE   (builder-core, release-publisher or deploy-agent)
set -euo pipefail
module="${1:?usage: ci/bench/classpath.sh MODULE}"
repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
# With -am every module of the reactor writes the file in turn; MODULE comes last and wins.
(cd "$repo" && mvn -q -B -ntp -pl "$module" -am -DskipTests test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -DexcludeGroupIds=org.opdeploy -Dmdep.outputFile="$out") >&2
case "$module" in
  builder-core) modules=(builder-core) ;;
  release-publisher) modules=(release-publisher builder-core) ;;
  deploy-agent) modules=(deploy-agent release-publisher builder-core) ;;
  *) echo "classpath.sh: unknown module $module" >&2; exit 2 ;;
esac
cp=""
for m in "${modules[@]}"; do
  for dir in "$repo/$m/target/test-classes" "$repo/$m/target/classes"; do
    [[ -d "$dir" ]] && cp="$cp${cp:+:}$dir"
  done
done
echo "$cp:$(cat "$out")"
