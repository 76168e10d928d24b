#!/usr/bin/env bash
# Upload benchmark against the fake GitHub on loopback.
#  1. throughput: a 1 GiB asset through GitHubReleaseStore vs curl to the same fake upload
#     endpoint (target: opdeploy >= 0.9x curl). curl streams with `-T FILE -X POST`: this curl's
#     `--data-binary @FILE` loads the file into memory and fails on 1 GiB ("out of memory");
#     the request on the wire is the same POST with a Content-Length.
#  2. memory: a 4 GiB asset streamed through the same upload body with -Xmx128m, sampling the
#     JVM's RSS every 0.5 s (target: flat, far below the asset size).
# Usage: ci/bench/upload.sh [RUNS]   (needs java, mvn, curl; writes ~7 GiB under $BENCH_DIR or /tmp)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-2}
WORK=$(mktemp -d "${BENCH_DIR:-/tmp}/opdeploy-bench.XXXXXX")
FAKE_PID=
cleanup() { [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

mvn -B -q -pl release-publisher -am test-compile -DskipTests
mvn -B -q -pl release-publisher dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="release-publisher/target/test-classes:release-publisher/target/classes:builder-core/target/classes:$(cat "$WORK/cp.txt")"

java -Xmx512m -cp "$CP" org.opdeploy.github.fake.FakeGitHubMain "$WORK/state" 8589934592 &
FAKE_PID=$!
for _ in $(seq 100); do [ -f "$WORK/state" ] && break; sleep 0.2; done
API=$(sed -n 's/^api=//p' "$WORK/state"); UPLOAD=$(sed -n 's/^upload=//p' "$WORK/state")
TOKEN=$(sed -n 's/^token=//p' "$WORK/state")   # the fake's throw-away token
export GITHUB_API_URL="$API" GITHUB_TOKEN="$TOKEN"

mkdir -p "$WORK/rel"
head -c 1073741824 /dev/urandom > "$WORK/rel/asset-1g.bin"
cat "$WORK/rel/asset-1g.bin" > /dev/null   # warm the page cache for both clients

echo "== 1 GiB upload, $RUNS run(s) each"
for i in $(seq "$RUNS"); do
  curl_s=$(curl -sS -o /dev/null -w '%{time_total}' -X POST \
    -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/octet-stream" \
    -T "$WORK/rel/asset-1g.bin" "$UPLOAD?name=curl-$i.bin")
  echo "curl     run $i: ${curl_s}s  $(awk -v s="$curl_s" 'BEGIN{printf "%.1f MiB/s", 1024/s}')"
  java -Xmx256m -cp "$CP" org.opdeploy.github.UploadBenchMain publish "$WORK/rel" "v0.0.$i" \
    | sed "s/^/opdeploy run $i: /"
done

echo "== 4 GiB upload, JVM capped at -Xmx128m, RSS sampled every 0.5 s"
truncate -s 4G "$WORK/asset-4g.bin"
java -Xmx128m -cp "$CP" org.opdeploy.github.UploadBenchMain raw "$WORK/asset-4g.bin" &
UP=$!
: > "$WORK/rss"
while kill -0 "$UP" 2>/dev/null; do
  awk '/VmRSS/{print $2}' "/proc/$UP/status" 2>/dev/null >> "$WORK/rss" || true
  sleep 0.5
done
wait "$UP"
awk '{ n++; if (min == "" || $1 < min) min = $1; if ($1 > max) max = $1; v[n] = $1 }
     END { printf "RSS samples=%d min=%.0f MiB max=%.0f MiB; first half max=%.0f MiB, second half max=%.0f MiB\n",
           n, min/1024, max/1024, m1(1, int(n/2))/1024, m1(int(n/2)+1, n)/1024 }
     function m1(a, b,   i, m) { m = 0; for (i = a; i <= b; i++) if (v[i] > m) m = v[i]; return m }' "$WORK/rss"
