#!/usr/bin/env bash
# Upload benchmark against the fake GitHub on loopback.
#  1. throughput: a 1 GiB asset published by `./opdeploy publish` (the real CLI, in a release
#     folder with a manifest and SHA256SUMS) vs curl to the same fake upload endpoint (target:
#     opdeploy >= 0.95x curl). The figure compared is the publish's upload step, from
#     "==> upload assets" to "==> verify assets" in its output: listing the draft's assets, the
#     POSTs and the server's answers. Everything else in the whole process is reported beside it,
#     split into the SHA-256 read that checks a folder sealed in another run before anything is
#     uploaded ("==> publish" to "==> find release"; `release` skips it) and the rest: JVM start,
#     finding the draft, checking GitHub's digests, publishing (target <= 0.3 s). curl streams with `-T FILE -X POST`: this curl's
#     `--data-binary @FILE` loads the file into memory and fails on 1 GiB ("out of memory");
#     the request on the wire is the same POST with a Content-Length.
#  2. memory: a 4 GiB asset streamed through the same upload body with -Xmx128m, sampling the
#     JVM's RSS every 0.5 s (target: flat, far below the asset size).
#  Each run times curl and then opdeploy (interleaved, so both see the same machine load); the
#  summary gives the medians, plus the load average before and after.
#  The 4 GiB run uses the launcher's JVM flags (./opdeploy) with the heap lowered to 128 MiB.
# Usage: ci/bench/upload.sh [RUNS]   (needs java, mvn, curl, perl; writes ~6 GiB under $BENCH_DIR or /tmp)
set -euo pipefail
if [[ -z "${OPDEPLOY_BENCH_LOCKED:-}" ]]; then
  OPDEPLOY_BENCH_LOCKED=1 exec flock /tmp/opdeploy-bench.lock "$0" "$@"
fi
cd "$(dirname "$0")/../.."
RUNS=${1:-5}
WORK=$(mktemp -d "${BENCH_DIR:-/tmp}/opdeploy-bench.XXXXXX")
FAKE_PID=
cleanup() { [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

CP="$(ci/bench/classpath.sh release-publisher)"
./opdeploy --version >/dev/null   # builds the CLI jar (and its class-data archive) when stale

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
SHA=$(cut -d' ' -f1 "$WORK/rel/SHA256SUMS")

# release_folder VERSION: what `opdeploy send` would leave for VERSION, around the same 1 GiB file
# (a hard link, named as a stream); publish checks the manifest against the files, not the stream.
release_folder() {
  local dir="$WORK/cli-$1" stream="op-dbus-$1.send.zst"
  mkdir -p "$dir" && ln "$WORK/rel/asset-1g.bin" "$dir/$stream"
  cat > "$dir/op-dbus-$1.manifest.json" <<JSON
{"format": 1, "name": "op-dbus", "version": "$1", "created": "2026-01-01T00:00:00Z", "expires": null,
 "source": {"commit": "0000000", "tag": "$1", "spec_sha256": "$(printf '0%.0s' $(seq 64))"},
 "subvolume": {"uuid": "d9274330-c909-c043-9535-d97174ebe572"},
 "btrfs": {"send_protocol": 1, "compressed_data": false},
 "service": "op-dbus.service", "health": {"command": "/bin/true", "timeout_seconds": 3},
 "streams": [{"kind": "full", "parent": null, "compression": "zstd:3",
   "files": [{"name": "$stream", "size": 1073741824, "sha256": "$SHA"}], "stream_size": 1073741824}]}
JSON
  (cd "$dir" && echo "$SHA  $stream" > SHA256SUMS && sha256sum "op-dbus-$1.manifest.json" >> SHA256SUMS)
  echo "$dir"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# The fake keeps every asset it received: delete them before the next upload, so that no run
# competes with the write-back of the one before.
forget_uploads() { rm -f "$WORK"/fake-github-*/asset-*; }
echo "== 1 GiB upload, $RUNS run(s) each; before: $(uptime | sed 's/.*load/load/')"
: > "$WORK/curl.s"; : > "$WORK/upload.s"; : > "$WORK/cli.s"; : > "$WORK/verify.s"; : > "$WORK/rest.s"
for i in $(seq "$RUNS"); do
  curl_s=$(curl -sS -o /dev/null -w '%{time_total}' -X POST \
    -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/octet-stream" \
    -T "$WORK/rel/asset-1g.bin" "$UPLOAD?name=curl-$i.bin")
  forget_uploads
  dir=$(release_folder "v0.1.$i")
  # Timestamps of the step headers in the CLI's output, in seconds since the start: the publish
  # step (after the JVM start and the command line), "find release" (after the verification read
  # of the folder), "upload assets", "verify assets" (GitHub's digests), and the end.
  # The folder is unsigned, as no key is needed to measure an upload: --allow-unsigned.
  if ! ./opdeploy publish "v0.1.$i" --dir "$dir" --to github:acme/op-dbus --allow-unsigned 2>&1 \
    | tee "$WORK/publish.out" \
    | perl -MTime::HiRes=time -ne 'BEGIN { $t0 = time }
        $h = time - $t0 if !defined $h && /==> publish /; $f = time - $t0 if /==> find release/;
        $u = time - $t0 if /==> upload assets/; $v = time - $t0 if /==> verify assets/;
        END { printf "%.3f %.3f %.3f %.3f %.3f\n", $h, $f, $u, $v, time - $t0 }' > "$WORK/times"; then
    echo "upload: ./opdeploy publish failed:" >&2
    cat "$WORK/publish.out" >&2
    exit 1
  fi
  read -r head_s find_s up_s check_s cli_s < "$WORK/times"
  upload_s=$(echo "$check_s - $up_s" | bc); verify_s=$(echo "$find_s - $head_s" | bc)
  rest_s=$(echo "$cli_s - $upload_s - $verify_s" | bc)
  forget_uploads
  rm -rf "$dir"
  echo "$curl_s" >> "$WORK/curl.s"; echo "$upload_s" >> "$WORK/upload.s"; echo "$cli_s" >> "$WORK/cli.s"
  echo "$verify_s" >> "$WORK/verify.s"; echo "$rest_s" >> "$WORK/rest.s"
  printf 'run %d: curl %.3fs   opdeploy publish: upload step %.3fs, whole process %.3fs (JVM start and set-up %.3fs, verification read %.3fs, API calls %.3fs + %.3fs after) load %s\n' \
    "$i" "$curl_s" "$upload_s" "$cli_s" "$head_s" "$verify_s" "$(echo "$up_s - $find_s" | bc)" \
    "$(echo "$cli_s - $check_s" | bc)" "$(cut -d' ' -f1 /proc/loadavg)"
done
c=$(median < "$WORK/curl.s"); u=$(median < "$WORK/upload.s"); p=$(median < "$WORK/cli.s")
v=$(median < "$WORK/verify.s"); r=$(median < "$WORK/rest.s")
echo "after: $(uptime | sed 's/.*load/load/')"
awk -v c="$c" -v u="$u" -v p="$p" -v v="$v" -v r="$r" 'BEGIN {
  printf "median: curl %.3fs (%.0f MiB/s)\n", c, 1024/c
  printf "  opdeploy upload step  %.3fs (%.0f MiB/s, %.2fx curl; target >= 0.95x)\n", u, 1024/u, c/u
  printf "  opdeploy whole process %.3fs (%.0f MiB/s, %.2fx curl)\n", p, 1024/p, c/p
  printf "  everything but the upload: %.3fs, of it the verification read of the folder %.3fs (standalone publish of a folder sealed in another run; release passes the digests send took and skips it)\n", p - u, v
  printf "  everything but the upload and that read (JVM start, API calls, digest check, publishing): %.3fs (median; target <= 0.3s)\n", r }'

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
forget_uploads
awk 'NF { n++; if (min == "" || $1 < min) min = $1; if ($1 > max) max = $1; v[n] = $1 }
     END { printf "RSS samples=%d min=%.0f MiB max=%.0f MiB; first half max=%.0f MiB, second half max=%.0f MiB\n",
           n, min/1024, max/1024, m1(1, int(n/2))/1024, m1(int(n/2)+1, n)/1024 }
     function m1(a, b,   i, m) { m = 0; for (i = a; i <= b; i++) if (v[i] > m) m = v[i]; return m }' "$WORK/rss"
