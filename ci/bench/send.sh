#!/usr/bin/env bash
# Benchmarks `opdeploy send` against plain tools on a loop-backed btrfs holding a golden of real
# files (copies of /usr), and checks the performance budget of the send pipeline:
#   full send (zstd + split + SHA-256)  <= 1.10 x  `btrfs send | zstd -T0 -3 > file`
#                                       <= 0.50 x  `btrfs send -f f; zstd f; sha256sum f.zst`
#   JVM peak RSS < 256 MiB and not growing with the stream size
#   incremental after changing 1% of the golden <= 1.05 x changed bytes + 1 MiB (uncompressed)
# Usage: sudo flock /tmp/opdeploy-bench.lock ci/bench/send.sh
#        (BENCH_GOLDEN_MIB=1100 BENCH_RUNS=5 BENCH_WORK=DIR BENCH_MOUNT_OPTS=)
# The flock keeps benchmarks on a shared machine from overlapping; the contenders run interleaved,
# round after round, and the medians are compared. The load average is printed before and after
# the timings: on a loaded machine the parallel contenders lose most, so read the figures with it.
# Exits 1 when a budget is missed. Everything it attaches or mounts is undone on exit.
set -euo pipefail

repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
golden_mib="${BENCH_GOLDEN_MIB:-1100}"
runs="${BENCH_RUNS:-5}"
work="${BENCH_WORK:-$(mktemp -d /var/tmp/opdeploy-bench.XXXXXX)}"
mnt="$work/pool"
name=op-dbus
dev=""

die() { echo "send.sh: $*" >&2; exit 2; }
[[ $EUID -eq 0 ]] || die "needs root (loop devices, mounts, btrfs): run it with sudo"
for tool in btrfs mkfs.btrfs losetup zstd sha256sum java mvn; do
  command -v "$tool" >/dev/null || die "$tool is missing"
done
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing: apt-get install time"

cleanup() {
  set +e
  mountpoint -q "$mnt" && umount "$mnt"
  [[ -n "$dev" ]] && losetup -d "$dev"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$mnt" "$work/out"
truncate -s 6G "$work/pool.img"
dev="$(losetup --find --show "$work/pool.img")"
mkfs.btrfs -q -f "$dev"
mount ${BENCH_MOUNT_OPTS:+-o "$BENCH_MOUNT_OPTS"} "$dev" "$mnt"

# The CLI when this checkout has it; otherwise the same steps through a small test-side driver.
java_opts="${OPDEPLOY_JAVA_OPTS:--XX:+UseSerialGC -Xms16m -Xmx200m -XX:MaxDirectMemorySize=64m}"
if [[ -x "$repo/opdeploy" ]] && "$repo/opdeploy" send --help >/dev/null 2>&1; then
  driver="opdeploy CLI"
  snapshot() { "$repo/opdeploy" --pool "$mnt" snapshot "$1" >/dev/null; }
  send_cmd() { echo "OPDEPLOY_JAVA_OPTS='$java_opts' '$repo/opdeploy' --pool '$mnt' send $1 --parent $2 --out '$3'"; }
else
  driver="builder-core SendDriver (no CLI send in this checkout)"
  cp="$("$repo/ci/bench/classpath.sh" builder-core)"
  read -r -a java_words <<< "$java_opts"
  run_driver() { java "${java_words[@]}" -cp "$cp" org.opdeploy.bench.SendDriver "$@"; }
  snapshot() { run_driver snapshot "$mnt" "$name" "$1" >/dev/null; }
  send_cmd() { echo "java $java_opts -cp '$cp' org.opdeploy.bench.SendDriver send '$mnt' $name $1 $2 '$3' >/dev/null"; }
fi

golden="$mnt/@$name-golden"
size_mib() { du -sm --apparent-size "$1" | cut -f1; }
btrfs -q subvolume create "$golden"
echo "== building the golden from /usr (target ${golden_mib} MiB)" >&2
cp -a /usr/include /usr/bin "$golden/"
small_mib="$(size_mib "$golden")"
snapshot v0.9.0
mkdir -p "$golden/lib"
for dir in /usr/share /usr/libexec /usr/lib/*; do
  (( $(size_mib "$golden") >= golden_mib )) && break
  [[ -d "$dir" && ! -L "$dir" ]] && cp -a "$dir" "$golden/lib/"
done
big_mib="$(size_mib "$golden")"
(( big_mib >= golden_mib )) || die "only ${big_mib} MiB of /usr could be copied"
snapshot v1.0.0

# Rewrite whole files, spread over the tree, until 1% of the golden's bytes changed.
total_bytes="$(du -sb --apparent-size "$golden" | cut -f1)"
changed=0
n=0
while IFS= read -r -d '' file; do
  (( changed >= total_bytes / 100 )) && break
  (( ++n % 7 == 0 )) || continue
  size="$(stat -c %s "$file")"
  head -c "$size" /dev/urandom >"$file"
  changed=$((changed + size))
done < <(find "$golden" -type f -size +64k -print0 | sort -z)
snapshot v1.0.1
sync

snap="$mnt/@$name-v1.0.0"
btrfs -q send "$snap" >/dev/null # warm the page cache equally for every contender

# measure LABEL COMMAND: appends "wall rss_kib cpu_s" to $work/LABEL.times
measure() {
  local label="$1"; shift
  rm -rf "$work/out" && mkdir -p "$work/out" && sync
  /usr/bin/time -f "%e %M %U %S" -o "$work/time" bash -o pipefail -c "$*"
  awk '{print $1, $2, $3 + $4}' "$work/time" >>"$work/$label.times"
}
# median LABEL: "wall rss_kib cpu_s" of the run with the median wall time
median() { sort -n "$work/$1.times" | awk '{l[NR]=$0} END {print l[int((NR+1)/2)]}'; }

out="$work/out"
echo "== timing ($runs interleaved rounds, medians); driver: $driver" >&2
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "== load average before: $load_before" >&2
for ((i = 1; i <= runs; i++)); do
  # What no contender can beat: btrfs send alone is one kernel thread, most of a core.
  measure floor "btrfs -q send '$snap' >/dev/null"
  measure pipe "btrfs -q send '$snap' | zstd -q -T0 -3 > '$out/f.zst'"
  measure sequential "btrfs -q send -f '$out/f' '$snap' && zstd -q '$out/f' && sha256sum '$out/f.zst' >/dev/null"
  measure opdeploy "$(send_cmd v1.0.0 none "$out")"
done
measure small "$(send_cmd v0.9.0 none "$out")"
measure incremental "$(send_cmd v1.0.1 v1.0.0 "$out")"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "== load average after: $load_after" >&2
incremental_size="$(grep -o '"stream_size" : [0-9]*' "$out/$name-v1.0.1.manifest.json" | tail -1 | grep -o '[0-9]*$')"
full_stored="$(du -b "$out/$name-v1.0.1.send.zst"* | grep -v sha256 | awk '{s+=$1} END {print s}')"

read -r floor_s _ floor_cpu < <(median floor)
read -r pipe_s _ pipe_cpu < <(median pipe)
read -r seq_s _ seq_cpu < <(median sequential)
read -r ours_s ours_rss ours_cpu < <(median opdeploy)
read -r _ small_rss < <(median small)
read -r incr_s incr_rss < <(median incremental)

awk -v pipe="$pipe_s" -v seq="$seq_s" -v ours="$ours_s" -v rss="$ours_rss" -v small="$small_rss" \
    -v irss="$incr_rss" -v isize="$incremental_size" -v changed="$changed" -v big="$big_mib" \
    -v smallmib="$small_mib" -v stored="$full_stored" -v incr_s="$incr_s" -v nproc="$(nproc)" \
    -v runs="$runs" -v before="$load_before" -v after="$load_after" \
    -v floor="$floor_s" -v floor_cpu="$floor_cpu" -v pipe_cpu="$pipe_cpu" -v seq_cpu="$seq_cpu" \
    -v ours_cpu="$ours_cpu" '
  function mib(k) { return sprintf("%.0f MiB", k / 1024) }
  BEGIN {
    ok = 1
    budget = 1.05 * changed + 1048576
    printf "golden %d MiB of /usr (small version %d MiB), %d cpus, medians of %d rounds\n", big, smallmib, nproc, runs
    printf "load average before %s, after %s\n", before, after
    printf "%-46s %7.2f s wall %6.2f s cpu\n", "btrfs send > /dev/null (floor)", floor, floor_cpu
    printf "%-46s %7.2f s wall %6.2f s cpu\n", "btrfs send | zstd -T0 -3 > file", pipe, pipe_cpu
    printf "%-46s %7.2f s wall %6.2f s cpu\n", "btrfs send -f f; zstd f; sha256sum f.zst", seq, seq_cpu
    printf "%-46s %7.2f s wall %6.2f s cpu  (%.2fx pipe, %.2fx sequential)\n", "opdeploy send (full, zstd, split, sha256)", ours, ours_cpu, ours / pipe, ours / seq
    printf "%-46s %7.2f s  (its cpu seconds / %d cpus)\n", "opdeploy lower bound on this machine", ours_cpu / nproc, nproc
    printf "%-46s %s (small stream: %s, incremental run: %s)\n", "opdeploy peak RSS", mib(rss), mib(small), mib(irss)
    printf "%-46s %d bytes stored\n", "full stream v1.0.1", stored
    printf "%-46s %d bytes for %d changed (budget %d), %.2f s\n", "incremental stream (uncompressed)", isize, changed, budget, incr_s
    if (ours > 1.10 * pipe) { print "MISSED: send slower than 1.10x the pipe"; ok = 0 }
    if (ours > 0.50 * seq) { print "MISSED: send slower than 0.5x the sequential tools"; ok = 0 }
    if (rss >= 262144 || irss >= 262144) { print "MISSED: peak RSS not below 256 MiB"; ok = 0 }
    if (rss > small * 1.25 + 16384) { print "MISSED: peak RSS grows with stream size"; ok = 0 }
    if (isize > budget) { print "MISSED: incremental larger than 1.05x changed bytes + 1 MiB"; ok = 0 }
    print ok ? "all budgets met" : "some budgets missed"
    exit ok ? 0 : 1
  }'
