#!/usr/bin/env bash
# Builds opdeploy.jar and the .deb twice from the committed HEAD, in two fresh folders at different
# paths and times, and checks that both builds give byte-identical files (project.build.outputTimestamp
# fixes entry times; generated files carry no build time). Usage: ci/reproducible.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
start=$SECONDS
for n in 1 2; do
  mkdir -p "$work/build-$n"
  git archive HEAD | tar -x -C "$work/build-$n"
  (cd "$work/build-$n" && mvn -B -q -ntp -DskipTests package -pl packaging -am >&2)
  (cd "$work/build-$n" && sha256sum cli/target/opdeploy.jar packaging/target/opdeploy_*_all.deb) > "$work/sums-$n"
  sleep 1  # a different second for the second build: a leaked build time shows up
done
cat "$work/sums-1"
if ! diff "$work/sums-1" "$work/sums-2" >&2; then
  echo "reproducible: FAILED: two builds of $(git rev-parse --short HEAD) differ" >&2
  exit 1
fi
echo "reproducible: two builds of $(git rev-parse --short HEAD) are byte-identical ($((SECONDS - start)) s)"
