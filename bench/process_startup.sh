#!/usr/bin/env bash
# `ik --version` as a whole process: median wall time (hyperfine) and peak
# RSS (/usr/bin/time -f %M, the kernel's maxrss), next to two empty programs:
#   empty-same: `int main(){}` linked against exactly the shared libraries ik
#               itself needs (readelf NEEDED), in ik's order (the loader's
#               symbol lookups depend on it), so the difference is ik's own;
#   empty-all:  the same, linked against every library ik has ever declared
#               (curl, pq, sqlite3, fmt, utf8proc, md4c, pcre2), forced with
#               --no-as-needed: what start-up would cost if they were all
#               linked (several are opened on first use, SQLite is static).
# Then the ratio ik --version / empty-same from paired runs.
# Usage: bench/process_startup.sh [build-dir]   (default build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build/release}
ik="$dir/src/ik"
[ -x "$ik" ] || { echo "no $ik: cmake --preset release && cmake --build --preset release" >&2; exit 1; }
out="$dir/bench/startup"
mkdir -p "$out"
echo 'int main() { return 0; }' > "$out/empty.cc"

needed=$(readelf -d "$ik" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
same_libs=()
for lib in $needed; do
  case "$lib" in ld-linux*) ;; *) same_libs+=("-l:$lib") ;; esac
done
# -static-libstdc++ as ik is linked: g++ would otherwise add the shared
# libstdc++ that ik does not load (a binary that needs it names it above).
g++ -O2 -static-libstdc++ "$out/empty.cc" -o "$out/empty-same" -Wl,--no-as-needed "${same_libs[@]}"
g++ -O2 "$out/empty.cc" -o "$out/empty-all" -Wl,--no-as-needed -lcurl -lpq -lsqlite3 -lfmt -lutf8proc -lmd4c \
  -lpcre2-8 -lstdc++

echo "ik NEEDED: $(echo $needed)"
median_rss() {
  local samples=()
  for _ in $(seq 21); do
    samples+=("$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1)")
  done
  printf '%s\n' "${samples[@]}" | sort -n | sed -n 11p
}

hyperfine -N --warmup 20 --runs 300 --export-csv "$out/hyperfine.csv" \
  -n "ik --version" "$ik --version" -n empty-same "$out/empty-same" -n empty-all "$out/empty-all" \
  >/dev/null 2>"$out/hyperfine.log"

printf '%-14s %12s %12s %14s\n' program "median ms" "mean ms" "peak RSS KiB"
for name in "ik --version" empty-same empty-all; do
  case "$name" in
    "ik --version") cmd=("$ik" --version) ;;
    *) cmd=("$out/$name") ;;
  esac
  # CSV columns: command,mean,stddev,median,user,system,min,max (seconds)
  read -r med mean < <(awk -F, -v n="$name" '$1 == n { printf "%.2f %.2f\n", $4 * 1000, $2 * 1000 }' \
    "$out/hyperfine.csv")
  printf '%-14s %12s %12s %14s\n' "$name" "$med" "$mean" "$(median_rss "${cmd[@]}")"
done

# The ratio from pairs: ik --version and empty-same in turn, the ratio taken
# pair by pair (a drift of the machine's speed between hyperfine's blocks of
# runs moves the ratio of their medians).
python3 - "$ik" "$out/empty-same" <<'PY'
import statistics, subprocess, sys, time
def wall(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start
ratios = []
for i in range(320):
    a, b = wall([sys.argv[1], "--version"]), wall([sys.argv[2]])
    if i >= 20:
        ratios.append(a / b)
q = statistics.quantiles(ratios, n=4)
print(f"ik --version / empty-same, paired (300 pairs): {statistics.median(ratios):.3f} (middle half {q[0]:.3f}-{q[2]:.3f})")
PY
