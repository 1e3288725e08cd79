#!/usr/bin/env bash
# Installs dependencies, then builds and runs the whole test suite:
#   1. dev preset (ASan+UBSan+LSan): every unit, integration and e2e test;
#   2. valgrind preset: memcheck over the unit and integration tests, zero
#      errors and zero leaks required;
#   3. clang preset: Clang 14 builds everything warning-free (-Werror) and
#      the unit tests pass;
#   4. release preset: builds, including the benchmarks.
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

step "build dev" build dev
step "tests (ASan+UBSan+LSan)" ctest --test-dir build/dev -j "$jobs" --output-on-failure
step "build valgrind" build valgrind
step "tests under valgrind memcheck" bash scripts/valgrind-tests.sh build/valgrind
step "build clang" build clang
step "unit tests (clang)" ctest --test-dir build/clang -L unit -j "$jobs" --output-on-failure
step "build release" build release

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
