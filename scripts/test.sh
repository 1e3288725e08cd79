#!/usr/bin/env bash
# Installs dependencies, then builds and runs the whole test suite and the
# gates (docs/testing.md says how to run each by hand):
#   1. gates that need no build: clang-format on every tracked .cc/.h, and no
#      source file (src/, tests/, bench/) over 600 lines;
#   2. dev preset (GCC, ASan+UBSan+LSan): every unit (the layer test included),
#      integration and e2e test;
#   3. clang preset (Clang 14, Debug, no sanitizers): builds everything, the
#      benchmarks included (so they cannot rot unseen),
#      warning-free (-Werror); clang-tidy runs over src/ on its compile
#      database with zero findings allowed; the out-of-memory death tests run
#      there (no sanitizer, no valgrind replaces operator new); valgrind
#      memcheck runs the unit and integration tests on that build — zero
#      errors and zero leaks required;
#   4. release preset: the optimised ik binary builds (what scripts/run.sh runs);
#   5. fuzz preset (Clang 14, libFuzzer, ASan+UBSan): every tests/fuzz harness
#      runs 45 s from its seed corpus; a crash fails.
# The valgrind preset (GCC without sanitizers) stays available for developers;
# CI reuses the clang build for memcheck so the code is compiled four times
# (dev, clang, release, fuzz), not five.
# Prints "N passed, N failed" at the end; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || exit 1
export LANG=C.UTF-8 LC_ALL=C.UTF-8
# ccache (installed by install-deps.sh) keeps object files between runs; paths
# are made relative to the checkout, so a fresh clone reuses them too.
if command -v ccache >/dev/null; then
  export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER-ccache}
  export CMAKE_C_COMPILER_LAUNCHER=${CMAKE_C_COMPILER_LAUNCHER-ccache}
  export CCACHE_BASEDIR=${CCACHE_BASEDIR-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR-1}
fi
jobs=$(nproc)
passed=0
failed=0
step() {
  local name=$1
  shift
  echo "== $name" >&2
  local start=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    echo "== $name: ok ($((SECONDS - start)) s)" >&2
  else
    failed=$((failed + 1))
    echo "== $name: FAILED ($((SECONDS - start)) s)" >&2
  fi
}

build() { cmake --preset "$1" >/dev/null && cmake --build --preset "$1" -j "$jobs"; }
release_ik() { cmake --preset release >/dev/null && cmake --build --preset release -j "$jobs" --target ik; }

# Every tracked C++ file exactly as .clang-format would write it.
format_check() { git ls-files -z '*.cc' '*.h' | xargs -0 clang-format --dry-run --Werror; }

# No source file over 600 lines (docs/testing.md: split by concept).
size_check() {
  local over
  over=$(git ls-files -z 'src/*' 'tests/*' 'bench/*' | grep -z -E '\.(cc|h|c|cpp|hpp)$' | xargs -0 wc -l \
    | awk '$2 != "total" && $1 > 600 { print }')
  [ -z "$over" ] || { echo "over 600 lines:" >&2; echo "$over" >&2; return 1; }
}

# The checks .clang-tidy configures, over src/, on the clang build's compile
# database; any finding fails.
tidy_check() {
  git ls-files -z 'src/*.cc' | xargs -0 -P "$jobs" -n 4 clang-tidy -p build/clang --quiet --warnings-as-errors='*'
}

# The death tests in a build without sanitizers, outside valgrind: the only
# place where a failed operator new really reaches ik's new_handler. A skip is a
# failure here.
death_tests() {
  local out
  out=$(env -u IK_UNDER_VALGRIND build/clang/tests/ik_unit_core --gtest_filter='*DeathTest*' 2>&1)
  local rc=$?
  echo "$out" | grep -E '^\[ *(OK|SKIPPED|FAILED|PASSED) ' >&2
  [ "$rc" -eq 0 ] && ! echo "$out" | grep -q '^\[  SKIPPED \]'
}

fuzz() { build fuzz && bash scripts/fuzz.sh 45 build/fuzz; }

step "clang-format" format_check
step "no source file over 600 lines" size_check
step "build dev" build dev
step "tests (ASan+UBSan+LSan)" ctest --test-dir build/dev -j "$jobs" --output-on-failure
step "build clang" build clang
step "clang-tidy over src/ (clang build)" tidy_check
step "death tests without sanitizers (clang build)" death_tests
step "tests under valgrind memcheck (clang build)" bash scripts/valgrind-tests.sh build/clang
step "build release" release_ik
step "fuzzing, 45 s per harness (fuzz build)" fuzz

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
