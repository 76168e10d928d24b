#!/usr/bin/env bash
# Build-side benchmark of `opdeploy release` (run as root; it takes /tmp/opdeploy-bench.lock itself):
#   1. `./opdeploy release V --to dir:STORE --parent none` with the snapshot of V already taken, so
#      that refresh and validate are skipped (send + seal + publish, one JVM start included) vs
#      `btrfs send SNAP | zstd -T0 -3 | tee >(sha256sum) > f` on the same snapshot, RUNS rounds
#      interleaved, medians (budget: release <= 1.15x the pipe). The store is a folder on the pool's
#      filesystem. Taking the snapshot is timed on its own (`./opdeploy snapshot`, JVM included).
#   2. bytes read per byte shipped after the send: one more release, its JVM's /proc/PID/io sampled
#      every 20 ms. rchar counts every byte a read() returned, from the page cache or the disk, so a
#      second read of a file cannot hide in the cache the way it would in read_bytes; the JVM also
#      reads the uncompressed stream from btrfs send's pipe, which the manifest records
#      (stream_size), so  (rchar - stream_size) / bytes in the store  is what it read of files per
#      byte shipped (budget <= 1). read_bytes (from the disk, after dropping the caches) is printed
#      beside it. Copies the kernel makes (copy_file_range, reflinks) are not reads by the JVM.
#   3. JVM peak RSS (VmHWM) of that release, and of a release of a 4 GiB stream (the payload plus
#      3 GiB of random bytes; BIG=0 skips it): budget < 256 MiB and flat.
#   4. the opt-in fast path on a pool mounted compress=zstd: release with and without
#      `--send-protocol 2 --compressed-data` against the same pipe (FAST=0 skips it).
# Payload: a copy of PAYLOAD (default /usr/lib, capped by PAYLOAD_MB) in a loop-backed btrfs pool.
# Usage: sudo ci/bench/release.sh     (RUNS=5 PAYLOAD_MB=1100 BIG=1 FAST=1)
set -euo pipefail
if [[ -z "${OPDEPLOY_BENCH_LOCKED:-}" ]]; then
  OPDEPLOY_BENCH_LOCKED=1 exec flock /tmp/opdeploy-bench.lock "$0" "$@"
fi
[[ $EUID -eq 0 ]] || { echo "release.sh: needs root (loop devices, mounts, btrfs)" >&2; exit 2; }
for tool in btrfs zstd curl gpg openssl nginx bc /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "release.sh: $tool is missing: run ci/install-deps.sh" >&2; exit 2; }
done

REPO="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
PAYLOAD="${PAYLOAD:-/usr/lib}"
PAYLOAD_MB="${PAYLOAD_MB:-1100}"
RUNS="${RUNS:-5}"
WORK="$(mktemp -d /var/tmp/opdeploy-release-bench.XXXXXX)"
LOOPS=()
PIDS=()

cleanup() {
  set +e
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for fs in pool fast; do mountpoint -q "$WORK/$fs" && umount "$WORK/$fs"; done
  for l in "${LOOPS[@]}"; do losetup -d "$l"; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

btrfs_fs() { # name size [mount options]
  truncate -s "$2" "$WORK/$1.img"
  local loop; loop="$(losetup --find --show "$WORK/$1.img")"
  LOOPS+=("$loop")
  mkfs.btrfs -q -f "$loop"
  mkdir -p "$WORK/$1"
  mount ${3:+-o "$3"} "$loop" "$WORK/$1"
}
fill_golden() { # pool
  btrfs -q subvolume create "$1/@op-dbus-golden"
  mkdir -p "$1/@op-dbus-golden/usr/lib" "$1/@op-dbus-golden/etc/op-dbus"
  ( cd "$PAYLOAD" && find . -xdev -type f -size -64M -print0 2>/dev/null \
      | head -z -n 200000 | tar --null -T - -cf - 2>/dev/null ) \
    | head -c "$((PAYLOAD_MB * 1024 * 1024))" | tar -xf - -C "$1/@op-dbus-golden/usr/lib" 2>/dev/null || true
  sync
}

echo "== load before: $(uptime)"
cd "$REPO"
"$REPO/opdeploy" --version >/dev/null # builds the CLI jar and its class-data archive when stale
export GNUPGHOME="$WORK/gnupg"
mkdir -m 700 "$GNUPGHOME"
gpg -q --batch --passphrase '' --quick-gen-key 'bench <bench@example.invalid>' ed25519 sign 1d
gpg -q --batch --armor --export-secret-keys > "$WORK/signing-key.asc"
export OPDEPLOY_SIGNING_KEY="@$WORK/signing-key.asc"
# The spec names the service binary it installs; with the snapshot taken, refresh never reads it.
export OPDBUS_BIN="${OPDBUS_BIN:-/usr/bin/true}"

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
stream_size() { grep -o '"stream_size" : [0-9]*' "$1"/*.manifest.json | grep -o '[0-9]*$' | paste -sd+ | bc; }

# release POOL VERSION [global flags...]: one `./opdeploy release`, snapshot taken first (untimed).
release() {
  local pool="$1" v="$2"; shift 2
  "$REPO/opdeploy" --pool "$pool" --golden "$REPO/golden" snapshot "$v" >/dev/null
  "$REPO/opdeploy" --pool "$pool" --golden "$REPO/golden" "$@" release "$v" --to "dir:$pool/store" \
    --parent none >"$WORK/release.out" 2>&1 || { cat "$WORK/release.out"; exit 1; }
}
# sampled POOL VERSION [flags]: a release whose JVM is sampled every 20 ms (the launcher execs java,
# so the background job's PID is the JVM's); prints "wall_s rchar read_bytes vmhwm_kib children_rchar".
# A reaped child's I/O is added to its parent's /proc/PID/io, so the children's (btrfs send and its
# helpers) are sampled too and reported apart; a child's last 20 ms can be missed, which only makes
# the JVM's own figure look larger.
sampled() {
  local pool="$1" v="$2"; shift 2
  "$REPO/opdeploy" --pool "$pool" --golden "$REPO/golden" snapshot "$v" >/dev/null
  local t0; t0=$(now)
  "$REPO/opdeploy" --pool "$pool" --golden "$REPO/golden" "$@" release "$v" --to "dir:$pool/store" \
    --parent none >"$WORK/release.out" 2>&1 &
  local pid=$! io="" hwm="" x c kids=0
  local -A child=()
  PIDS+=("$pid")
  while kill -0 "$pid" 2>/dev/null; do
    x="$(awk '/^rchar|^read_bytes/ {printf "%s ", $2}' "/proc/$pid/io" 2>/dev/null)" && [ -n "$x" ] && io="$x"
    x="$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null)" && [ -n "$x" ] && hwm="$x"
    while read -r -a kids_now; do
      for c in "${kids_now[@]}"; do
        x="$(awk '/^rchar/ {print $2}' "/proc/$c/io" 2>/dev/null)" && [ -n "$x" ] && child[$c]="$x"
      done
    done < <(cat /proc/"$pid"/task/*/children 2>/dev/null)
    sleep 0.02
  done
  wait "$pid" || { cat "$WORK/release.out"; exit 1; }
  for c in "${!child[@]}"; do kids=$((kids + child[$c])); done
  echo "$(echo "$(now) - $t0" | bc) $io$hwm $kids"
}
# pipe SNAPSHOT OUT [send flags]: the plain tools, timed.
# The CPU seconds (user + sys) of the timed rounds go to $WORK/LABEL.cpu.
pipe() {
  /usr/bin/time -f '%e %U %S' -o "$WORK/time" bash -o pipefail -c \
    "btrfs -q send ${*:3} '$1' | zstd -q -T0 -3 | tee >(sha256sum > '$2.sha256') > '$2'"
  awk '{ print $2 + $3 }' "$WORK/time" >> "$WORK/pipe.cpu"
  cut -d' ' -f1 "$WORK/time"
}
quiesce() { btrfs subvolume sync "$1" >/dev/null; sync; }

echo "== pool and payload ($PAYLOAD, up to $PAYLOAD_MB MiB)"
btrfs_fs pool 16G
POOL="$WORK/pool"
fill_golden "$POOL"
du -sh "$POOL/@op-dbus-golden" | sed 's/^/payload: /'
"$REPO/opdeploy" --pool "$POOL" --golden "$REPO/golden" snapshot v0.9.0 >/dev/null
btrfs -q send "$POOL/@op-dbus-v0.9.0" >/dev/null # warms the page cache for every contender
mkdir -p "$POOL/out"

echo "== release (send + seal + publish to dir:, JVM start included) vs the pipe, $RUNS rounds"
: > "$WORK/pipe.s"; : > "$WORK/release.s"; : > "$WORK/snapshot.s"; : > "$WORK/send.ms"; : > "$WORK/publish.ms"
: > "$WORK/pipe.cpu"; : > "$WORK/release.cpu"
release "$POOL" v0.9.1 # one untimed round
for i in $(seq "$RUNS"); do
  quiesce "$POOL"
  pipe "$POOL/@op-dbus-v0.9.0" "$POOL/out/f.zst" >> "$WORK/pipe.s"
  rm -f "$POOL/out/f.zst"*
  quiesce "$POOL"
  t0=$(now); "$REPO/opdeploy" --pool "$POOL" --golden "$REPO/golden" snapshot "v1.0.$i" >/dev/null
  echo "$(now) - $t0" | bc >> "$WORK/snapshot.s"
  /usr/bin/time -f '%e %U %S' -o "$WORK/time" "$REPO/opdeploy" --json --pool "$POOL" --golden "$REPO/golden" \
    release "v1.0.$i" --to "dir:$POOL/store" --parent none >"$WORK/release.out" 2>"$WORK/release.err" \
    || { cat "$WORK/release.out" "$WORK/release.err"; exit 1; }
  cut -d' ' -f1 "$WORK/time" >> "$WORK/release.s"; awk '{ print $2 + $3 }' "$WORK/time" >> "$WORK/release.cpu"
  # The command's own timings: send (btrfs send, zstd, hashes, chunk index), publish (seal, the
  # store's copy with its hash, the index).
  send_ms=$(grep -o '"send" : [0-9]*' "$WORK/release.out" | grep -o '[0-9]*$')
  publish_ms=$(grep -o '"publish" : [0-9]*' "$WORK/release.out" | grep -o '[0-9]*$')
  echo "$send_ms" >> "$WORK/send.ms"; echo "$publish_ms" >> "$WORK/publish.ms"
  printf 'round %d: pipe %.2f s, release %.2f s (send %.2f s, seal and publish %.2f s) (load %s)\n' "$i" \
    "$(tail -1 "$WORK/pipe.s")" "$(tail -1 "$WORK/release.s")" "$(echo "$send_ms / 1000" | bc -l)" \
    "$(echo "$publish_ms / 1000" | bc -l)" "$(cut -d' ' -f1 /proc/loadavg)"
done
P=$(median < "$WORK/pipe.s"); R=$(median < "$WORK/release.s")
printf 'btrfs send | zstd -T0 -3 | tee >(sha256sum) > f : %6.2f s (median; runs: %s)\n' "$P" "$(paste -sd' ' "$WORK/pipe.s")"
printf 'opdeploy release (snapshot taken)              : %6.2f s (median; runs: %s)\n' "$R" "$(paste -sd' ' "$WORK/release.s")"
printf 'ratio of the medians                           : %6.3f (budget 1.15)\n' "$(echo "$R / $P" | bc -l)"
printf 'CPU seconds (user + sys, medians): pipe %.2f, release %.2f (%d cores)\n' "$(median < "$WORK/pipe.cpu")" \
  "$(median < "$WORK/release.cpu")" "$(nproc)"
printf '  of it (medians) send %.2f s, seal and publish to dir: %.2f s\n' "$(echo "$(median < "$WORK/send.ms") / 1000" | bc -l)" \
  "$(echo "$(median < "$WORK/publish.ms") / 1000" | bc -l)"
printf 'opdeploy snapshot, JVM start included          : %6.2f s (median)\n' "$(median < "$WORK/snapshot.s")"
t0=$(now); "$REPO/opdeploy" --version >/dev/null
printf 'JVM start (opdeploy --version)                 : %6.2f s\n' "$(echo "$(now) - $t0" | bc)"
echo "load: $(uptime)"

echo "== reads after the send, and memory"
report_io() { # label version sample
  read -r wall rchar rbytes hwm kids <<<"$3"
  local size; size=$(stream_size "$POOL/store/$2")
  local shipped; shipped=$(du -cb "$POOL/store/$2"/* | tail -1 | cut -f1)
  local own=$((rchar - kids - size))
  printf '%s: %.2f s; stream %d bytes, shipped %d bytes\n' "$1" "$wall" "$size" "$shipped"
  printf '  rchar %d = children %d + the stream from the pipe %d + files %d: %.3f bytes read per byte shipped (budget 1)\n' \
    "$rchar" "$kids" "$size" "$own" "$(echo "$own / $shipped" | bc -l)"
  printf '  read_bytes from the disk (caches dropped before; children included) %d; JVM peak RSS %d MiB\n' \
    "$rbytes" "$((hwm / 1024))"
}
quiesce "$POOL"; echo 3 > /proc/sys/vm/drop_caches
report_io "release of a $(du -sh "$POOL/@op-dbus-golden" | cut -f1) golden" v2.0.0 "$(sampled "$POOL" v2.0.0)"
if [[ "${BIG:-1}" == 1 ]]; then
  head -c 3G /dev/urandom > "$POOL/@op-dbus-golden/random.bin"; sync
  quiesce "$POOL"; echo 3 > /proc/sys/vm/drop_caches
  report_io "release of a 4 GiB stream" v2.1.0 "$(sampled "$POOL" v2.1.0)"
  rm -f "$POOL/@op-dbus-golden/random.bin"
fi
echo "load: $(uptime)"

if [[ "${FAST:-1}" == 1 ]]; then
  FAST_RUNS="${FAST_RUNS:-3}"
  echo "== fast path: pool mounted compress=zstd, $FAST_RUNS rounds"
  btrfs_fs fast 16G compress=zstd
  F="$WORK/fast"
  fill_golden "$F"
  "$REPO/opdeploy" --pool "$F" --golden "$REPO/golden" snapshot v0.9.0 >/dev/null
  mkdir -p "$F/out"
  btrfs -q send "$F/@op-dbus-v0.9.0" >/dev/null
  : > "$WORK/fpipe.s"; : > "$WORK/fpipe2.s"; : > "$WORK/fplain.s"; : > "$WORK/ffast.s"
  for i in $(seq "$FAST_RUNS"); do
    quiesce "$F"; pipe "$F/@op-dbus-v0.9.0" "$F/out/f.zst" >> "$WORK/fpipe.s"; rm -f "$F/out/f.zst"*
    quiesce "$F"; pipe "$F/@op-dbus-v0.9.0" "$F/out/f.zst" --proto 2 --compressed-data >> "$WORK/fpipe2.s"
    rm -f "$F/out/f.zst"*
    quiesce "$F"; s=$(sampled "$F" "v1.0.$i"); echo "$s" >> "$WORK/fplain.s"
    plain_size=$(du -cb "$F/store/v1.0.$i"/*.send.zst* | tail -1 | cut -f1)
    quiesce "$F"; s=$(sampled "$F" "v1.1.$i" --send-protocol 2 --compressed-data); echo "$s" >> "$WORK/ffast.s"
    fast_size=$(du -cb "$F/store/v1.1.$i"/*.send.zst* | tail -1 | cut -f1)
    printf 'round %d: pipe %.2f s, pipe --proto 2 --compressed-data %.2f s, release %.2f s, with the fast path %.2f s (load %s)\n' \
      "$i" "$(tail -1 "$WORK/fpipe.s")" "$(tail -1 "$WORK/fpipe2.s")" "$(cut -d' ' -f1 <<<"$(tail -1 "$WORK/fplain.s")")" \
      "$(cut -d' ' -f1 <<<"$(tail -1 "$WORK/ffast.s")")" "$(cut -d' ' -f1 /proc/loadavg)"
  done
  FP=$(median < "$WORK/fpipe.s"); FP2=$(median < "$WORK/fpipe2.s")
  FR=$(cut -d' ' -f1 "$WORK/fplain.s" | median); FF=$(cut -d' ' -f1 "$WORK/ffast.s" | median)
  printf 'pipe (protocol 1)                         : %6.2f s\n' "$FP"
  printf 'pipe with --proto 2 --compressed-data     : %6.2f s\n' "$FP2"
  printf 'release, protocol 1                       : %6.2f s (%.3fx the pipe), stored %d bytes, peak RSS %d MiB\n' \
    "$FR" "$(echo "$FR / $FP" | bc -l)" "$plain_size" "$(($(cut -d' ' -f4 <<<"$(tail -1 "$WORK/fplain.s")") / 1024))"
  printf 'release, --send-protocol 2 --compressed-data: %6.2f s (%.3fx the pipe), stored %d bytes, peak RSS %d MiB\n' \
    "$FF" "$(echo "$FF / $FP" | bc -l)" "$fast_size" "$(($(cut -d' ' -f4 <<<"$(tail -1 "$WORK/ffast.s")") / 1024))"
fi
echo "== load after: $(uptime)"
