#!/usr/bin/env bash
# Target-side benchmark (run as root, from anywhere; other benchmarks share this machine, so take
# the lock:  flock /tmp/opdeploy-bench.lock ci/bench/target.sh):
#   1. `./opdeploy deploy V --from dir:STORE` (the real CLI and DirectoryStore: the stream is read
#      once and each 8 MiB chunk proven against the signed chunk index before btrfs receive gets it)
#      vs  `zstd -dc stream | btrfs receive` on the same stream (>= 600 MB uncompressed), RUNS rounds
#      interleaved after one untimed round of each, each on a quiet filesystem (budget: opdeploy
#      <= 1.05x the plain pipe, JVM start included); then the floor: the pipe + a JVM start
#   2. rollback switch time (median of ROUNDS in one JVM, without a service restart; budget < 100 ms),
#      and one `./opdeploy rollback` with its JVM start, for reference
#   3. `./opdeploy status` (budget < 1 s)
# Releases are built with the test helper DeployMain (real btrfs send, zstd, SHA256SUMS, signature
# with a throw-away key), so no golden spec or signing key is needed.
# Payload: a copy of PAYLOAD (default /usr/lib, capped by PAYLOAD_MB) in a loop-backed btrfs pool.
# Everything runs on loop devices under a temporary folder that is removed at the end.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
PAYLOAD="${PAYLOAD:-/usr/lib}"
PAYLOAD_MB="${PAYLOAD_MB:-1500}"
ROUNDS="${ROUNDS:-20}"
RUNS="${RUNS:-5}"
WORK="$(mktemp -d /var/tmp/opdeploy-target-bench.XXXXXX)"
LOOPS=()

cleanup() {
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
btrfs_fs pool 8G
btrfs_fs target 8G
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
