#!/usr/bin/env bash
# An incremental checkpoint snapshot of a generated 10k-file project against
# `git status` on it, in the same run (docs/perf.md). Usage:
#   bench/checkpoint.sh [build dir, default build/release]
set -euo pipefail
build=${1:-build/release}
exec "$build/bench/checkpoint_bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_min_time=1
