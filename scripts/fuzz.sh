#!/usr/bin/env bash
# Runs every libFuzzer harness of a fuzz build for SECONDS each (default 45),
# two at a time, starting from its seed corpus tests/fuzz/corpus/<name>/.
#   bash scripts/fuzz.sh [SECONDS] [BUILD_DIR]     (BUILD_DIR default build/fuzz)
# The seeds are only read: what the fuzzer finds goes to a scratch corpus that
# is deleted afterwards. A crash, a sanitizer report, a leak, a timeout (10 s
# per input) or an out-of-memory (2 GB) fails the run; the input that did it is
# kept in $IK_FUZZ_ARTIFACTS (default build/fuzz/artifacts) and printed in hex,
# to be added to the seeds as a regression input once fixed.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-45}
dir=$(cd "${2:-build/fuzz}" && pwd)
artifacts=${IK_FUZZ_ARTIFACTS:-$dir/artifacts}
mkdir -p "$artifacts"
work=$(mktemp -d /tmp/ik-fuzz-XXXXXX)
trap 'rm -rf "$work"' EXIT

run_one() {
  local exe=$1 seconds=$2 artifacts=$3 work=$4
  local name seeds log
  name=$(basename "$exe")
  seeds=tests/fuzz/corpus/$name
  mkdir -p "$work/$name"
  log=$work/$name.log
  local args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536
    -print_final_stats=1 -artifact_prefix="$artifacts/$name-" "$work/$name")
  [ -d "$seeds" ] && args+=("$seeds")
  if "$exe" "${args[@]}" >"$log" 2>&1; then
    echo "fuzz: $name: ok, $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') runs in ${seconds} s" >&2
  else
    echo "fuzz: $name: FAILED" >&2
    tail -60 "$log" >&2
    for a in "$artifacts/$name"-*; do
      [ -f "$a" ] && { echo "fuzz: input $a:" >&2; od -A d -t x1z -v "$a" | head -40 >&2; }
    done
    return 1
  fi
}
export -f run_one

exes=()
for exe in "$dir"/tests/fuzz/*_fuzz; do
  [ -x "$exe" ] && exes+=("$exe")
done
# No harness at all means the build failed: never pass vacuously.
if [ ${#exes[@]} -eq 0 ]; then
  echo "fuzz: no harness in $dir/tests/fuzz" >&2
  exit 1
fi
printf '%s\n' "${exes[@]}" | xargs -P 2 -I{} bash -c 'run_one "$@"' _ {} "$seconds" "$artifacts" "$work"
