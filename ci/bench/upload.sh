#!/usr/bin/env bash
# Upload benchmark against the fake GitHub on loopback.
#  1. throughput: a 1 GiB asset through GitHubReleaseStore vs curl to the same fake upload
#     endpoint (target: opdeploy >= 0.9x curl). curl streams with `-T FILE -X POST`: this curl's
#     `--data-binary @FILE` loads the file into memory and fails on 1 GiB ("out of memory");
#     the request on the wire is the same POST with a Content-Length.
#  2. memory: a 4 GiB asset streamed through the same upload body with -Xmx128m, sampling the
#     JVM's RSS every 0.5 s (target: flat, far below the asset size).
#  Each run times curl and then opdeploy (interleaved, so both see the same machine load); the
#  summary gives medians of curl's time_total, opdeploy's whole process (JVM start included) and
#  opdeploy's publish inside the JVM, plus the load average before and after.
#  JVM flags are the launcher's (./opdeploy): -XX:+UseSerialGC -Xms16m -Xmx200m.
# Usage: ci/bench/upload.sh [RUNS]   (needs java, mvn, curl; writes ~7 GiB under $BENCH_DIR or /tmp)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-5}
JVM="-XX:+UseSerialGC -Xms16m -Xmx200m -XX:MaxDirectMemorySize=64m"
WORK=$(mktemp -d "${BENCH_DIR:-/tmp}/opdeploy-bench.XXXXXX")
FAKE_PID=
cleanup() { [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

mvn -B -q -pl release-publisher -am test-compile -DskipTests
mvn -B -q -pl release-publisher dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="release-publisher/target/test-classes:release-publisher/target/classes:builder-core/target/classes:$(cat "$WORK/cp.txt")"

# The fake stores uploads under its java.io.tmpdir: keep them in $WORK, deleted after each run.
java -Xmx512m -Djava.io.tmpdir="$WORK" -cp "$CP" org.opdeploy.github.fake.FakeGitHubMain "$WORK/state" 8589934592 &
FAKE_PID=$!
for _ in $(seq 100); do [ -f "$WORK/state" ] && break; sleep 0.2; done
API=$(sed -n 's/^api=//p' "$WORK/state"); UPLOAD=$(sed -n 's/^upload=//p' "$WORK/state")
TOKEN=$(sed -n 's/^token=//p' "$WORK/state")   # the fake's throw-away token
export GITHUB_API_URL="$API" GITHUB_TOKEN="$TOKEN"

mkdir -p "$WORK/rel"
head -c 1073741824 /dev/urandom > "$WORK/rel/asset-1g.bin"
# A sealed folder lists its files in SHA256SUMS; publish takes the expected digests from there.
(cd "$WORK/rel" && sha256sum asset-1g.bin > SHA256SUMS)   # also warms the page cache for both

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "== 1 GiB upload, $RUNS run(s) each; before: $(uptime | sed 's/.*load/load/')"
: > "$WORK/curl.s"; : > "$WORK/proc.s"; : > "$WORK/jvm.s"
for i in $(seq "$RUNS"); do
  curl_s=$(curl -sS -o /dev/null -w '%{time_total}' -X POST \
    -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/octet-stream" \
    -T "$WORK/rel/asset-1g.bin" "$UPLOAD?name=curl-$i.bin")
  echo "$curl_s" >> "$WORK/curl.s"
  t0=$(date +%s.%N)
  out=$(java $JVM -cp "$CP" org.opdeploy.github.UploadBenchMain publish "$WORK/rel" "v0.0.$i")
  proc_s=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.3f", b-a}')
  jvm_s=$(sed -n 's/^seconds=\([0-9.]*\).*/\1/p' <<<"$out")
  echo "$proc_s" >> "$WORK/proc.s"; echo "$jvm_s" >> "$WORK/jvm.s"
  printf 'run %d: curl %.3fs   opdeploy process %.3fs (publish in JVM %.3fs)\n' "$i" "$curl_s" "$proc_s" "$jvm_s"
  rm -f "$WORK"/fake-github-*/asset-*   # the fake keeps every asset: free the disk
done
c=$(median < "$WORK/curl.s"); p=$(median < "$WORK/proc.s"); j=$(median < "$WORK/jvm.s")
echo "after: $(uptime | sed 's/.*load/load/')"
awk -v c="$c" -v p="$p" -v j="$j" 'BEGIN {
  printf "median: curl %.3fs (%.0f MiB/s); opdeploy process %.3fs (%.0f MiB/s, %.2fx curl);" \
    " publish in JVM %.3fs (%.0f MiB/s, %.2fx curl)\n", c, 1024/c, p, 1024/p, c/p, j, 1024/j, c/j }'
# What a publish costs besides the bytes (class loading, JIT, five API calls): a 1-byte asset.
mkdir -p "$WORK/tiny" && printf x > "$WORK/tiny/one.bin"
fixed=$(java $JVM -cp "$CP" org.opdeploy.github.UploadBenchMain publish "$WORK/tiny" v0.1.0 | sed -n 's/^seconds=\([0-9.]*\).*/\1/p')
echo "fixed cost: publishing a 1-byte asset takes ${fixed}s in the JVM"

echo "== 4 GiB upload, JVM capped at -Xmx128m, RSS sampled every 0.5 s"
truncate -s 4G "$WORK/asset-4g.bin"
java -XX:+UseSerialGC -Xmx128m -XX:MaxDirectMemorySize=64m -cp "$CP" org.opdeploy.github.UploadBenchMain raw "$WORK/asset-4g.bin" &
UP=$!
: > "$WORK/rss"
while kill -0 "$UP" 2>/dev/null; do
  awk '/VmRSS/{print $2}' "/proc/$UP/status" 2>/dev/null >> "$WORK/rss" || true
  sleep 0.5
done
wait "$UP"
rm -f "$WORK"/fake-github-*/asset-*
awk 'NF { n++; if (min == "" || $1 < min) min = $1; if ($1 > max) max = $1; v[n] = $1 }
     END { printf "RSS samples=%d min=%.0f MiB max=%.0f MiB; first half max=%.0f MiB, second half max=%.0f MiB\n",
           n, min/1024, max/1024, m1(1, int(n/2))/1024, m1(int(n/2)+1, n)/1024 }
     function m1(a, b,   i, m) { m = 0; for (i = a; i <= b; i++) if (v[i] > m) m = v[i]; return m }' "$WORK/rss"
