#!/usr/bin/env bash
# Target-side benchmark (run as root, from anywhere; other benchmarks share this machine, so take
# the lock:  flock /tmp/opdeploy-bench.lock ci/bench/target.sh):
#   1. `./opdeploy deploy V --from dir:STORE` (the real CLI and DirectoryStore: the stream is read
#      once and each 8 MiB chunk proven against the signed chunk index before btrfs receive gets it)
#      vs  `zstd -dc stream | btrfs receive` on the same stream (>= 600 MB uncompressed), RUNS rounds
#      interleaved after one untimed round of each, each on a quiet filesystem (budget: opdeploy
#      <= 1.05x the plain pipe, JVM start included); then the floor: the pipe + a JVM start
#   2. `./opdeploy deploy V --from https://localhost:PORT/ --ca-file CA` from a real nginx on
#      loopback (TLS, a throw-away CA made by openssl, serving the same store) vs
#      `curl --cacert CA URL | zstd -dc | btrfs receive`, RUNS rounds interleaved (budget 1.05x);
#      during every deploy the disk used under the target root beside the subvolume being received
#      (`du -sbx ROOT`: the received subvolume is another device, so du -x leaves it out; a cache
#      copy, a staging file or any other copy of the stream would count) is sampled every 50 ms
#      (budget: peak minus before <= 64 MiB)
#   3. the deploying JVM's peak RSS (VmHWM, sampled every 20 ms) for the ~1.6 GB stream and, unless
#      BIG=0, for a >= 4 GiB one (the payload plus 3 GiB of random bytes): budget < 256 MiB, flat
#   4. rollback switch time (median of ROUNDS in one JVM, without a service restart; budget < 100 ms),
#      and one `./opdeploy rollback` with its JVM start, for reference
#   5. `./opdeploy status` (budget < 1 s)
# Releases are built with the test helper DeployMain (real btrfs send, zstd, SHA256SUMS, signature
# with a throw-away key), so no golden spec or signing key is needed.
# Payload: a copy of PAYLOAD (default /usr/lib, capped by PAYLOAD_MB) in a loop-backed btrfs pool.
# Everything runs on loop devices under a temporary folder that is removed at the end.
set -euo pipefail
if [[ -z "${OPDEPLOY_BENCH_LOCKED:-}" ]]; then
  OPDEPLOY_BENCH_LOCKED=1 exec flock /tmp/opdeploy-bench.lock "$0" "$@"
fi
for tool in btrfs zstd curl gpg openssl nginx bc /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "target.sh: $tool is missing: run ci/install-deps.sh" >&2; exit 2; }
done

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
PAYLOAD="${PAYLOAD:-/usr/lib}"
PAYLOAD_MB="${PAYLOAD_MB:-1500}"
ROUNDS="${ROUNDS:-20}"
RUNS="${RUNS:-5}"
WORK="$(mktemp -d /var/tmp/opdeploy-target-bench.XXXXXX)"
LOOPS=()
NGINX_PID=

cleanup() {
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  for m in "$WORK/target/op-dbus/overlay" "$WORK/target/op-dbus/mount"; do
    while mountpoint -q "$m" 2>/dev/null; do umount -l "$m" || break; done
  done
  for fs in target pool; do
    mountpoint -q "$WORK/$fs" 2>/dev/null && umount "$WORK/$fs"
  done
  for l in "${LOOPS[@]}"; do losetup -d "$l" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

btrfs_fs() { # name size
  truncate -s "$2" "$WORK/$1.img"
  local loop; loop="$(losetup --find --show "$WORK/$1.img")"
  LOOPS+=("$loop")
  mkfs.btrfs -q -f "$loop"
  mkdir -p "$WORK/$1"
  mount "$loop" "$WORK/$1"
}

echo "== load before: $(uptime)"
echo "== building (the benchmark driver's classes, the CLI jar)"
cd "$REPO"
CP="$("$REPO/ci/bench/classpath.sh" deploy-agent)"
"$REPO/opdeploy" --version >/dev/null
run() { java -cp "$CP" org.opdeploy.deploy.DeployMain "$@"; }
opdeploy() { "$REPO/opdeploy" --root "$ROOT" --trusted-keys "$KEYS" --service none "$@"; }

echo "== pools and payload ($PAYLOAD, up to $PAYLOAD_MB MiB)"
btrfs_fs pool 16G
btrfs_fs target 16G
POOL="$WORK/pool"; STORE="$WORK/store"; ROOT="$WORK/target/op-dbus"; KEYS="$WORK/trusted.asc"
btrfs -q subvolume create "$POOL/@op-dbus-golden"
mkdir -p "$POOL/@op-dbus-golden/usr/lib" "$POOL/@op-dbus-golden/etc/op-dbus"
( cd "$PAYLOAD" && find . -xdev -type f -size -64M -print0 2>/dev/null \
    | head -z -n 200000 | tar --null -T - -cf - 2>/dev/null ) \
  | head -c "$((PAYLOAD_MB * 1024 * 1024))" | tar -xf - -C "$POOL/@op-dbus-golden/usr/lib" 2>/dev/null || true
echo v1.0.0 > "$POOL/@op-dbus-golden/etc/op-dbus/version"
du -sh "$POOL/@op-dbus-golden" | sed 's/^/payload: /'
run publish "$POOL" "$KEYS" "$STORE" v1.0.0
echo v1.1.0 > "$POOL/@op-dbus-golden/etc/op-dbus/version"
head -c 16M /dev/urandom > "$POOL/@op-dbus-golden/etc/op-dbus/new.bin"
run publish "$POOL" "$KEYS" "$STORE" v1.1.0 v1.0.0
STREAM="$STORE/v1.0.0/op-dbus-v1.0.0.send.zst"
find "$STORE/v1.0.0" -maxdepth 1 -type f -printf '  %s\t%f\n' | sort -k2
printf 'stream: %s bytes stored, %s bytes uncompressed (stream_size)\n' "$(stat -c %s "$STREAM")" \
  "$(grep -m1 -o '"stream_size" : [0-9]*' "$STORE/v1.0.0/op-dbus-v1.0.0.manifest.json" | grep -o '[0-9]*$')"

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "== receive: plain pipe vs ./opdeploy deploy --from dir: (streamed, chunk-proven), $RUNS rounds"
mkdir -p "$WORK/target/plain"
: > "$WORK/plain.times"; : > "$WORK/ours.times"
# Each timed run starts on a quiet filesystem: the subvolume deleted before it is cleaned up
# first (btrfs subvolume sync), so that neither run competes with the btrfs cleaner.
quiesce() { btrfs subvolume sync "$WORK/target" >/dev/null; sync; }
# One untimed round of each first: the first receive on a fresh filesystem is much slower.
zstd -q -dc "$STREAM" | btrfs -q receive -e "$WORK/target/plain"
btrfs -q subvolume delete -c "$WORK/target/plain/"@op-dbus-v1.0.0
opdeploy deploy v1.0.0 --from "dir:$STORE" >"$WORK/steps.txt" 2>&1 || { cat "$WORK/steps.txt"; exit 1; }
btrfs -q subvolume delete -c "$ROOT/deploy/@op-dbus-v1.0.0"; rm -f "$ROOT/state.json"
for i in $(seq "$RUNS"); do
  quiesce
  t0=$(now); zstd -q -dc "$STREAM" | btrfs -q receive -e "$WORK/target/plain"; t1=$(now)
  echo "$t1 - $t0" | bc >> "$WORK/plain.times"
  btrfs -q subvolume delete -c "$WORK/target/plain/"@op-dbus-v1.0.0
  quiesce
  t0=$(now); opdeploy deploy v1.0.0 --from "dir:$STORE" >"$WORK/steps.txt" 2>&1 \
    || { cat "$WORK/steps.txt"; exit 1; }; t1=$(now)
  echo "$t1 - $t0" | bc >> "$WORK/ours.times"
  if [ "$i" -lt "$RUNS" ]; then
    btrfs -q subvolume delete -c "$ROOT/deploy/@op-dbus-v1.0.0"
    rm -f "$ROOT/state.json"
  fi
done
echo "where the time goes (one more, untimed run; seconds since start, JVM start included):"
btrfs -q subvolume delete -c "$ROOT/deploy/@op-dbus-v1.0.0"; rm -f "$ROOT/state.json"; quiesce
t0=$(now)
# script(1) gives the CLI a terminal, so that it prints each step as it happens.
script -qfec "$REPO/opdeploy --root $ROOT --trusted-keys $KEYS --service none deploy v1.0.0 --from dir:$STORE" \
  /dev/null | stdbuf -o0 tr '\r' '\n' \
  | perl -MTime::HiRes=time -ne 'BEGIN { $t0 = shift } printf "  %6.3f  %s", time - $t0, $_ if /==>|streaming|verified|deployed|100%/' "$t0"
echo "where the CPU goes (one more, untimed run of each; user+sys seconds; the JVM's threads sampled every 100 ms):"
btrfs -q subvolume delete -c "$ROOT/deploy/@op-dbus-v1.0.0"; rm -f "$ROOT/state.json"; quiesce
/usr/bin/time -f '%e %U %S' -o "$WORK/cpu.plain" bash -o pipefail -c \
  "zstd -q -dc '$STREAM' | btrfs -q receive -e '$WORK/target/plain'"
btrfs -q subvolume delete -c "$WORK/target/plain/"@op-dbus-v1.0.0; quiesce
/usr/bin/time -f '%e %U %S' -o "$WORK/cpu.ours" "$REPO/opdeploy" --root "$ROOT" --trusted-keys "$KEYS" \
  --service none deploy v1.0.0 --from "dir:$STORE" >/dev/null 2>&1 &
TIMEPID=$!
JVM=""; for _ in $(seq 200); do JVM=$(pgrep -P "$TIMEPID" | head -1); [ -n "$JVM" ] && break; sleep 0.01; done
declare -A TCPU=()
while kill -0 "$JVM" 2>/dev/null; do
  for t in /proc/"$JVM"/task/*; do
    st=$(cat "$t/stat" 2>/dev/null) || continue; name=$(cat "$t/comm" 2>/dev/null) || continue
    read -r -a f <<<"${st##*) }"
    TCPU[${t##*/}]="$((f[11] + f[12])) $name"
  done
  sleep 0.1
done
wait "$TIMEPID"
read -r pw pu ps < "$WORK/cpu.plain"; read -r ow ou os < "$WORK/cpu.ours"
printf '  zstd -dc | btrfs receive: %.2f s wall, %.2f s CPU\n' "$pw" "$(echo "$pu + $ps" | bc)"
printf '  opdeploy deploy (the JVM and its btrfs receive): %.2f s wall, %.2f s CPU; of it the JVM threads (%s ticks/s):\n' \
  "$ow" "$(echo "$ou + $os" | bc)" "$(getconf CLK_TCK)"
for v in "${TCPU[@]}"; do echo "$v"; done | sed -E 's/[0-9]+$//; s/ +$//' \
  | awk -v hz="$(getconf CLK_TCK)" '{ t = $1; $1 = ""; sub(/^ /, ""); cpu[$0] += t; all += t }
      END { for (n in cpu) if (cpu[n] > 0) printf "    %6.2f s  %s\n", cpu[n] / hz, n; printf "    %6.2f s  all JVM threads\n", all / hz }' \
  | sort -rn
PLAIN=$(median < "$WORK/plain.times"); OURS=$(median < "$WORK/ours.times")
printf 'plain  zstd -dc | btrfs receive : %6.2f s (median; runs: %s)\n' "$PLAIN" "$(paste -sd' ' "$WORK/plain.times")"
printf 'opdeploy deploy (JVM included) : %6.2f s (median; runs: %s)\n' "$OURS" "$(paste -sd' ' "$WORK/ours.times")"
printf 'ratio of the medians           : %6.3f (budget 1.05)\n' "$(echo "$OURS / $PLAIN" | bc -l)"
RATIOS=$(paste -d' ' "$WORK/ours.times" "$WORK/plain.times" | awk '{ printf "%.3f\n", $1 / $2 }')
printf 'median of the per-round ratios : %6.3f (rounds: %s)\n' "$(echo "$RATIOS" | median)" "$(echo "$RATIOS" | paste -sd' ')"
# What no deploy can avoid on top of the pipe: a JVM start. (Hashing overlaps the receive: each
# chunk is proven on its own thread while the one before it is decompressed and received.)
t0=$(now); "$REPO/opdeploy" --version >/dev/null; t1=$(now); START=$(echo "$t1 - $t0" | bc)
printf 'floor: plain + JVM start (%.2f s) = %.3f x plain\n' "$START" "$(echo "($PLAIN + $START) / $PLAIN" | bc -l)"

echo "== receive from https:// (nginx on loopback, TLS with a test CA): curl | zstd -dc | btrfs receive vs ./opdeploy deploy, $RUNS rounds"
NGX="$WORK/nginx"; mkdir -p "$NGX/tmp"
( cd "$NGX"
  printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n' > server.ext
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.crt \
    -days 2 -subj '/CN=opdeploy bench CA'
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key -out server.csr \
    -subj '/CN=localhost'
  openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 \
    -extfile server.ext ) >/dev/null 2>&1
PORT=$(perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1:0")->sockport')
cat > "$NGX/nginx.conf" <<CONF
daemon off;
master_process off;
user root;
pid $NGX/nginx.pid;
error_log $NGX/error.log;
events { worker_connections 64; }
http {
  access_log off;
  default_type application/octet-stream;
  sendfile on;
  client_body_temp_path $NGX/tmp/body;
  proxy_temp_path $NGX/tmp/proxy;
  fastcgi_temp_path $NGX/tmp/fastcgi;
  uwsgi_temp_path $NGX/tmp/uwsgi;
  scgi_temp_path $NGX/tmp/scgi;
  server {
    listen 127.0.0.1:$PORT ssl;
    server_name localhost;
    ssl_certificate $NGX/server.crt;
    ssl_certificate_key $NGX/server.key;
    root $STORE;
  }
}
CONF
nginx -c "$NGX/nginx.conf" -p "$NGX" & NGINX_PID=$!
for _ in $(seq 100); do curl -s --cacert "$NGX/ca.crt" -o /dev/null "https://localhost:$PORT/VERSIONS" && break; sleep 0.1; done
URL="https://localhost:$PORT/v1.0.0/$(basename "$STREAM")"
curl -sS --cacert "$NGX/ca.crt" -o /dev/null -w 'nginx up: %{http_code}, %{size_download} bytes in %{time_total} s (curl to /dev/null)\n' "$URL"
# disk_sampler: the bytes under the target root beside any subvolume (du -x), every 50 ms, until
# $WORK/sampling is removed; writes the peak to $WORK/disk.peak.
disk_sampler() {
  local max=0 s
  while [ -e "$WORK/sampling" ]; do
    s=$(du -sbx "$ROOT" 2>/dev/null | cut -f1) && [ "${s:-0}" -gt "$max" ] && max=$s
    sleep 0.05
  done
  echo "$max" > "$WORK/disk.peak"
}
: > "$WORK/hplain.times"; : > "$WORK/hours.times"; : > "$WORK/hdisk"
btrfs -q subvolume delete -c "$ROOT/deploy/@op-dbus-v1.0.0"; rm -f "$ROOT/state.json"
for i in $(seq "$RUNS"); do
  quiesce
  t0=$(now); curl -sS --cacert "$NGX/ca.crt" "$URL" | zstd -q -dc | btrfs -q receive -e "$WORK/target/plain"; t1=$(now)
  echo "$t1 - $t0" | bc >> "$WORK/hplain.times"
  btrfs -q subvolume delete -c "$WORK/target/plain/"@op-dbus-v1.0.0
  quiesce
  before=$(du -sbx "$ROOT" | cut -f1)
  touch "$WORK/sampling"; disk_sampler & SAMPLER=$!
  t0=$(now); opdeploy deploy v1.0.0 --from "https://localhost:$PORT/" --ca-file "$NGX/ca.crt" \
    >"$WORK/steps.txt" 2>&1 || { cat "$WORK/steps.txt"; rm -f "$WORK/sampling"; exit 1; }; t1=$(now)
  rm -f "$WORK/sampling"; wait "$SAMPLER"
  echo "$t1 - $t0" | bc >> "$WORK/hours.times"
  echo "$(( $(cat "$WORK/disk.peak") - before ))" >> "$WORK/hdisk"
  printf 'round %d: curl pipe %.2f s, deploy %.2f s, extra disk peak %d bytes (load %s)\n' "$i" \
    "$(tail -1 "$WORK/hplain.times")" "$(tail -1 "$WORK/hours.times")" "$(tail -1 "$WORK/hdisk")" "$(cut -d' ' -f1 /proc/loadavg)"
  btrfs -q subvolume delete -c "$ROOT/deploy/@op-dbus-v1.0.0"; rm -f "$ROOT/state.json"
done
HPLAIN=$(median < "$WORK/hplain.times"); HOURS=$(median < "$WORK/hours.times")
printf 'curl | zstd -dc | btrfs receive        : %6.2f s (median; runs: %s)\n' "$HPLAIN" "$(paste -sd' ' "$WORK/hplain.times")"
printf 'opdeploy deploy --from https:// (JVM)  : %6.2f s (median; runs: %s)\n' "$HOURS" "$(paste -sd' ' "$WORK/hours.times")"
printf 'ratio of the medians                   : %6.3f (budget 1.05)\n' "$(echo "$HOURS / $HPLAIN" | bc -l)"
printf 'floor: curl pipe + JVM start (%.2f s)  = %.3f x\n' "$START" "$(echo "($HPLAIN + $START) / $HPLAIN" | bc -l)"
printf 'peak extra disk under the target root  : %d bytes max over the rounds (%s; budget 64 MiB)\n' \
  "$(sort -n "$WORK/hdisk" | tail -1)" "$(paste -sd' ' "$WORK/hdisk")"
echo "load: $(uptime)"

echo "== deploying JVM's peak RSS (VmHWM sampled every 20 ms)"
# rss_deploy VERSION SOURCE...: prints the JVM's VmHWM in KiB (the launcher execs java, so the
# background job's PID is the JVM's).
rss_deploy() {
  local v="$1"; shift
  "$REPO/opdeploy" --root "$ROOT" --trusted-keys "$KEYS" --service none deploy "$v" "$@" >"$WORK/steps.txt" 2>&1 &
  local pid=$! hwm=0 x
  while kill -0 "$pid" 2>/dev/null; do
    # A zombie's status has no VmHWM: keep the last value read.
    x=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null) && [ -n "$x" ] && hwm=$x
    sleep 0.02
  done
  wait "$pid" || { cat "$WORK/steps.txt"; exit 1; }
  echo "$hwm"
}
quiesce
printf 'stream of %s bytes from https://: %d MiB\n' "$(stat -c %s "$STREAM")" \
  "$(( $(rss_deploy v1.0.0 --from "https://localhost:$PORT/" --ca-file "$NGX/ca.crt") / 1024 ))"
btrfs -q subvolume delete -c "$ROOT/deploy/@op-dbus-v1.0.0"; rm -f "$ROOT/state.json"; quiesce
printf 'stream of %s bytes from dir:    : %d MiB\n' "$(stat -c %s "$STREAM")" "$(( $(rss_deploy v1.0.0 --from "dir:$STORE") / 1024 ))"
if [[ "${BIG:-1}" == 1 ]]; then
  head -c 3G /dev/urandom > "$POOL/@op-dbus-golden/etc/op-dbus/random.bin"
  echo v3.0.0 > "$POOL/@op-dbus-golden/etc/op-dbus/version"
  run publish "$POOL" "$KEYS" "$STORE" v3.0.0 >/dev/null
  rm -f "$POOL/@op-dbus-golden/etc/op-dbus/random.bin"
  BIGSTREAM=$(du -cb "$STORE/v3.0.0/"*.send.zst* | grep -v sha256 | tail -1 | cut -f1)
  btrfs -q subvolume delete -c "$ROOT/deploy/@op-dbus-v1.0.0"; rm -f "$ROOT/state.json"; quiesce
  printf 'stream of %s bytes from https://: %d MiB\n' "$BIGSTREAM" \
    "$(( $(rss_deploy v3.0.0 --from "https://localhost:$PORT/" --ca-file "$NGX/ca.crt") / 1024 ))"
  btrfs -q subvolume delete -c "$ROOT/deploy/@op-dbus-v3.0.0"; rm -f "$ROOT/state.json"; quiesce
  printf 'stream of %s bytes from dir:    : %d MiB\n' "$BIGSTREAM" "$(( $(rss_deploy v3.0.0 --from "dir:$STORE") / 1024 ))"
  btrfs -q subvolume delete -c "$ROOT/deploy/@op-dbus-v3.0.0"; rm -f "$ROOT/state.json"; quiesce
  opdeploy deploy v1.0.0 --from "dir:$STORE" >/dev/null # what the rollback rounds start from
fi

echo "== rollback switch ($ROUNDS rounds, service: none)"
opdeploy deploy v1.1.0 --from "dir:$STORE" | sed 's/^/  /'
run activate "$ROOT" "$KEYS" v1.0.0 "$ROOT/mount" "$ROOT/overlay"
run activate "$ROOT" "$KEYS" v1.1.0 "$ROOT/mount" "$ROOT/overlay"
run rollback "$ROOT" "$KEYS" "$ROOT/mount" "$ROOT/overlay" "$ROUNDS" | tail -1
t0=$(now); opdeploy --mount "$ROOT/mount" --overlay "$ROOT/overlay" rollback >/dev/null; t1=$(now)
printf './opdeploy rollback including JVM start: %.3f s\n' "$(echo "$t1 - $t0" | bc)"

echo "== status ($RUNS runs of ./opdeploy status)"
opdeploy status | cut -c1-80
: > "$WORK/status.times"
for i in $(seq "$RUNS"); do
  t0=$(now); opdeploy status >/dev/null; t1=$(now)
  echo "$t1 - $t0" | bc >> "$WORK/status.times"
done
printf 'status including JVM start: %.3f s (median; runs: %s)\n' "$(median < "$WORK/status.times")" \
  "$(paste -sd' ' "$WORK/status.times")"
echo "== load after: $(uptime)"
