#!/usr/bin/env bash
# Installs dependencies, then builds and runs the whole test suite:
#   1. dev preset (GCC, ASan+UBSan+LSan): every unit, integration and e2e test;
#   2. clang preset (Clang 14, Debug, no sanitizers): builds everything
#      warning-free (-Werror), and valgrind memcheck runs the unit and
#      integration tests on that build — zero errors and zero leaks required;
#   3. release preset: the optimised ik binary builds (what scripts/run.sh runs).
# The valgrind preset (GCC without sanitizers) stays available for developers;
# CI reuses the clang build for memcheck so the code is compiled three times,
# not four.
# Prints "N passed, N failed" at the end; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || exit 1
export LANG=C.UTF-8 LC_ALL=C.UTF-8
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

step "build dev" build dev
step "tests (ASan+UBSan+LSan)" ctest --test-dir build/dev -j "$jobs" --output-on-failure
step "build clang" build clang
step "tests under valgrind memcheck (clang build)" bash scripts/valgrind-tests.sh build/clang
step "build release" release_ik

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
